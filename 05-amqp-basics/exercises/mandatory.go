//go:build !solutions

package exercises

import (
	"context"
	"errors"

	amqp "github.com/rabbitmq/amqp091-go"
)

// PublishOrReturn publishes body to exchange with routing key key and
// reports whether the broker returned it because no queue was bound to
// take it. An exchange drops a message it cannot route, silently; a
// publisher learns of it only by asking: publish with mandatory set, and
// the broker sends the message back (basic.return) before it confirms
// it (basic.ack).
//
// Your code here. Open a channel of your own on conn (and close it),
// put it in confirm mode ([amqp.Channel.Confirm]), register a buffered
// [amqp.Channel.NotifyReturn], publish with mandatory true
// ([amqp.Channel.PublishWithDeferredConfirmWithContext]), wait for the
// confirmation ([amqp.DeferredConfirmation.WaitContext]), and then see
// whether a return is waiting in the channel you registered.
func PublishOrReturn(ctx context.Context, conn *amqp.Connection, exchange, key string, body []byte) (returned bool, err error) {
	return false, errors.New("not implemented: write PublishOrReturn in 05-amqp-basics/exercises/mandatory.go")
}
