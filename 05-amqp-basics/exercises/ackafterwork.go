//go:build !solutions

package exercises

import (
	"context"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// HandleOne takes one message from queue on ch and runs work on its
// body. It returns work's error.
//
// As written, it consumes with autoAck, the article's no_ack=True: the
// broker forgets the message the moment it is sent. If work fails, or
// the process crashes in the middle of it, the message is lost. The
// test makes work fail, closes the channel (a crash), and looks for
// the message in the queue.
//
// Your code here. Make HandleOne lose nothing: consume without autoAck,
// and acknowledge ([amqp.Delivery.Ack]) only after work succeeded. When
// work fails, do not ack (you may Nack with requeue, or leave the
// message unacked: the broker requeues it when the channel closes).
// Cancel the consumer before returning, so no second message is held.
func HandleOne(ctx context.Context, ch *amqp.Channel, queue string, work func(body []byte) error) error {
	const tag = "handle-one"
	deliveries, err := ch.ConsumeWithContext(ctx, queue, tag,
		true,  // autoAck: the broker forgets the message once sent
		false, // exclusive
		false, // noLocal
		false, // noWait
		nil)
	if err != nil {
		return fmt.Errorf("consume %q: %w", queue, err)
	}
	defer ch.Cancel(tag, false)
	select {
	case d, ok := <-deliveries:
		if !ok {
			return fmt.Errorf("consume %q: the channel closed", queue)
		}
		return work(d.Body)
	case <-ctx.Done():
		return ctx.Err()
	}
}
