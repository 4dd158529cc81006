//go:build !solutions

package exercises

import (
	"context"
	"errors"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Produce is the article's producer in Go: it declares queue (not
// durable, as pika's queue_declare(queue=name) does) and publishes body
// to it through the default exchange, whose routing key is the queue's
// name. The test reads the message back with the article's own pika
// consumer, in Python.
//
// Your code here. On conn, open a channel ([amqp.Connection.Channel]),
// declare the queue ([amqp.Channel.QueueDeclare]), publish
// ([amqp.Channel.PublishWithContext]) with exchange "" and key queue, and
// close the channel.
func Produce(ctx context.Context, conn *amqp.Connection, queue, body string) error {
	return errors.New("not implemented: write Produce in 05-amqp-basics/exercises/produce.go")
}
