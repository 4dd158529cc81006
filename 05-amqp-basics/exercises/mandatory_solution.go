//go:build solutions

package exercises

import (
	"context"
	"errors"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// PublishOrReturn publishes body to exchange with routing key key and
// reports whether the broker returned it because no queue was bound to
// take it.
func PublishOrReturn(ctx context.Context, conn *amqp.Connection, exchange, key string, body []byte) (returned bool, err error) {
	ch, err := conn.Channel()
	if err != nil {
		return false, fmt.Errorf("open a channel: %w", err)
	}
	defer ch.Close()
	if err := ch.Confirm(false); err != nil {
		return false, fmt.Errorf("confirm mode: %w", err)
	}
	// Buffered: the library blocks its reader until we take a return.
	returns := ch.NotifyReturn(make(chan amqp.Return, 1))
	dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, exchange, key,
		true,  // mandatory: give it back if no queue takes it
		false, // immediate
		amqp.Publishing{Body: body})
	if err != nil {
		return false, fmt.Errorf("publish: %w", err)
	}
	acked, err := dc.WaitContext(ctx)
	if err != nil {
		return false, fmt.Errorf("wait for the confirmation: %w", err)
	}
	if !acked {
		return false, errors.New("the broker nacked the message")
	}
	// The broker sends basic.return before basic.ack, and the library
	// hands them over in that order: a return, if any, is there now.
	select {
	case <-returns:
		return true, nil
	default:
		return false, nil
	}
}
