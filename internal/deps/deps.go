package deps
import (
	_ "github.com/rabbitmq/amqp091-go"
	_ "github.com/go-zeromq/zmq4"
	_ "github.com/vmihailenco/msgpack/v5"
	_ "github.com/testcontainers/testcontainers-go"
	_ "github.com/testcontainers/testcontainers-go/modules/rabbitmq"
)
