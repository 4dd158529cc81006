// Durability: what survives a broker restart.
//
// Two separate switches, both needed:
//   - a durable queue (QueueDeclare(name, durable=true, …)) is
//     recreated when the broker starts again; a transient one is not;
//   - a persistent message ("DeliveryMode: amqp.Persistent") is written
//     to disk by a durable queue; a transient message is kept in memory.
//
// And one more for the publisher to *know*: a confirm, sent by the
// broker once a persistent message is on disk.

package mq

import (
	"context"
	"errors"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// The two queues of the durability demo.
const (
	DurableQueue   = "durable-tasks"
	TransientQueue = "transient-tasks"
)

// SeedDurability declares both queues, empties them, and publishes
// n messages with confirms to each: persistent ones to the durable
// queue, transient ones to the transient queue.
func SeedDurability(ctx context.Context, rawURL string, n int) error {
	conn, err := Dial(ctx, rawURL, DialOptions{Name: "durability"})
	if err != nil {
		return err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	defer ch.Close()
	for _, q := range []struct {
		name    string
		durable bool
	}{{DurableQueue, true}, {TransientQueue, false}} {
		if _, err := DeclareQueue(ch, q.name, q.durable); err != nil {
			return err
		}
		if _, err := ch.QueuePurge(q.name, false); err != nil {
			return fmt.Errorf("purge queue %q: %w", q.name, err)
		}
		ms := numbered(q.name, "order", n)
		for i := range ms {
			ms[i].Persistent = q.durable
		}
		if err := publishAll(ctx, conn, ms); err != nil {
			return err
		}
	}
	return nil
}

// ErrQueueGone means the queue does not exist (any more).
var ErrQueueGone = errors.New("queue does not exist")

// CountQueue returns how many messages wait in queue, or
// [ErrQueueGone].
func CountQueue(ctx context.Context, rawURL, queue string) (int, error) {
	st, err := InspectQueue(ctx, rawURL, queue)
	var amqpErr *amqp.Error
	if errors.As(err, &amqpErr) && amqpErr.Code == amqp.NotFound {
		return 0, fmt.Errorf("%q: %w", queue, ErrQueueGone)
	}
	return st.Messages, err
}
