//go:build solutions

package exercises

import (
	"context"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// HandleOne takes one message from queue on ch, runs work on its body,
// and acknowledges it only once work succeeded: a failure or a crash
// leaves it in the queue.
func HandleOne(ctx context.Context, ch *amqp.Channel, queue string, work func(body []byte) error) error {
	const tag = "handle-one"
	// Hold one unacked message at most: we want one, not a buffer full.
	if err := ch.Qos(1, 0, false); err != nil {
		return fmt.Errorf("prefetch: %w", err)
	}
	deliveries, err := ch.ConsumeWithContext(ctx, queue, tag,
		false, // autoAck off: we ack after the work
		false, // exclusive
		false, // noLocal
		false, // noWait
		nil)
	if err != nil {
		return fmt.Errorf("consume %q: %w", queue, err)
	}
	var d amqp.Delivery
	select {
	case msg, ok := <-deliveries:
		if !ok {
			return fmt.Errorf("consume %q: the channel closed", queue)
		}
		d = msg
	case <-ctx.Done():
		_ = ch.Cancel(tag, false)
		return ctx.Err()
	}
	// One message is all we want; an unacked one stays ours after this.
	if err := ch.Cancel(tag, false); err != nil {
		return fmt.Errorf("cancel the consumer: %w", err)
	}
	if err := work(d.Body); err != nil {
		// Back to the queue, for another consumer.
		_ = d.Nack(false, true)
		return err
	}
	return d.Ack(false)
}
