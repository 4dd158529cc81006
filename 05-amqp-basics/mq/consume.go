// Consuming: a receiver subscribes to a queue and the broker pushes
// messages to it.
//
// Two settings decide what happens when a receiver dies:
//   - with manual acks, the broker keeps each delivered message until
//     the receiver acks it; if the receiver's channel closes first, the
//     message goes back to the queue and to another receiver;
//   - with auto-ack (pika's "no_ack=True"), the broker forgets the
//     message as soon as it is sent, so a crash loses it.
//
// The prefetch count (Qos) caps how many unacked messages a receiver
// holds. Prefetch 1 means "give me the next one when I'm done", which
// spreads work evenly over busy receivers.

package mq

import (
	"context"
	"errors"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ConsumeOptions describe one receiver.
type ConsumeOptions struct {
	Queue    string
	Tag      string // consumer tag, shown in the management UI ("" lets the library pick)
	Prefetch int    // unacked messages held at once; 0 means 1
	AutoAck  bool   // the broker forgets a message once sent
	// Logf, if set, reports events that are not errors, such as an
	// ack skipped because the connection was recovered meanwhile.
	Logf func(format string, args ...any)
	// OnAck, if set, is called after a delivery was acked.
	OnAck func(d amqp.Delivery)
}

// Handler handles one delivery. Returning nil acks it (in manual-ack
// mode); returning an error rejects it (requeued once, then dropped);
// returning an error wrapping [ErrAbandon] stops the receiver without
// an answer, the way a crashing process would.
type Handler func(ctx context.Context, d amqp.Delivery) error

// ErrAbandon makes [Consume] return at once, leaving the current
// delivery unacked. Its channel closes, so the broker requeues it.
var ErrAbandon = errors.New("receiver abandoned its delivery")

// ErrConsumerClosed means the broker or the connection ended the
// subscription (queue deleted, connection lost without recovery, …).
var ErrConsumerClosed = errors.New("consumer closed")

// Consume runs one receiver on its own channel until ctx ends (it
// then returns nil), the handler returns [ErrAbandon], or the channel
// dies. The queue must exist.
func Consume(ctx context.Context, conn *amqp.Connection, opts ConsumeOptions, handle Handler) error {
	return consume(ctx, conn, opts, nil, handle)
}

// consume is [Consume], calling onReady once subscribed.
func consume(ctx context.Context, conn *amqp.Connection, opts ConsumeOptions, onReady func(), handle Handler) error {
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	// Every way out of here closes the channel; for [ErrAbandon] that
	// is what hands the unacked delivery back to the queue.
	defer ch.Close()

	prefetch := opts.Prefetch
	if prefetch <= 0 {
		prefetch = 1
	}
	if !opts.AutoAck {
		// Prefetch only limits unacked messages, so it means nothing
		// with auto-ack.
		if err := ch.Qos(prefetch, 0, false); err != nil {
			return fmt.Errorf("set prefetch %d: %w", prefetch, err)
		}
	}

	// Buffered, and read in the loop below, as the docs ask. Each
	// close starts a new channel session: with connection recovery on,
	// the library reopens this channel after an outage and the broker
	// numbers deliveries from 1 again, having requeued what we held.
	// A tag from an older session would ack the wrong message, so we
	// count sessions and never ack across one. The library sends the
	// close the moment the socket dies, long before the reopened
	// channel can deliver anything.
	closes := ch.NotifyClose(make(chan *amqp.Error, 1))
	session := 0
	var lastClose error
	noteClose := func(e *amqp.Error) {
		if e != nil {
			session++
			lastClose = e
			logf(opts.Logf, "channel closed: %v", e)
		}
	}
	drainCloses := func() {
		for {
			select {
			case e := <-closes:
				noteClose(e)
			default:
				return
			}
		}
	}

	// Plain [Consume], not ConsumeWithContext: the latter sends its
	// own basic.cancel when ctx ends, which races with our Close.
	deliveries, err := ch.Consume(
		opts.Queue,
		opts.Tag,
		opts.AutoAck,
		false, // exclusive: other receivers may share the queue
		false, // no-local: not supported by RabbitMQ
		false, // no-wait: wait for consume-ok, so errors show here
		nil,
	)
	if err != nil {
		return fmt.Errorf("consume from queue %q: %w", opts.Queue, err)
	}
	if onReady != nil {
		onReady()
	}

	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-closes:
			// With recovery on, the channel comes back and deliveries
			// stays open; without it, deliveries closes right after.
			noteClose(e)
		case d, ok := <-deliveries:
			if !ok {
				drainCloses()
				if lastClose != nil {
					return fmt.Errorf("queue %q: %w: %v", opts.Queue, ErrConsumerClosed, lastClose)
				}
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("queue %q: %w", opts.Queue, ErrConsumerClosed)
			}
			// A receiver told to stop does not start on a new message;
			// closing the channel hands it back to the queue.
			if ctx.Err() != nil {
				return nil
			}
			got := session
			herr := handle(ctx, d)
			if errors.Is(herr, ErrAbandon) {
				return herr
			}
			if opts.AutoAck {
				continue
			}
			drainCloses()
			if session != got {
				logf(opts.Logf, "not answering delivery %d: the connection dropped while handling it, so the broker has requeued it", d.DeliveryTag)
				continue
			}
			if err := answer(d, herr); err != nil {
				// The channel is gone; the loop sees why next.
				logf(opts.Logf, "answer delivery %d: %v", d.DeliveryTag, err)
			} else if herr == nil && opts.OnAck != nil {
				opts.OnAck(d)
			}
		}
	}
}

// answer acks a handled delivery, or rejects a failed one: requeued
// the first time, dropped when it already failed once.
func answer(d amqp.Delivery, handleErr error) error {
	if handleErr == nil {
		return d.Ack(false)
	}
	return d.Nack(false, !d.Redelivered)
}

func logf(f func(string, ...any), format string, args ...any) {
	if f != nil {
		f(format, args...)
	}
}
