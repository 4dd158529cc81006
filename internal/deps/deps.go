//go:build tools

// Package deps pins the course's four dependencies in go.mod until the
// lessons that import them have landed; `go mod tidy` keeps what a file
// with this build tag imports. Delete it once every lesson is in.
package deps

import (
	_ "github.com/go-zeromq/zmq4"
	_ "github.com/rabbitmq/amqp091-go"
	_ "github.com/testcontainers/testcontainers-go"
	_ "github.com/testcontainers/testcontainers-go/modules/rabbitmq"
	_ "github.com/vmihailenco/msgpack/v5"
)
