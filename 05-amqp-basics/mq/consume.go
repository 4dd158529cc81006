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

// consume is [Consume], calling onReady once subscribed. It names the
// steps: open a channel, set the prefetch, watch the channel's closes,
// subscribe, then receive until told to stop.
func consume(ctx context.Context, conn *amqp.Connection, opts ConsumeOptions, onReady func(), handle Handler) error {
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	// Every way out of here closes the channel; for [ErrAbandon] that
	// is what hands the unacked delivery back to the queue.
	defer ch.Close()

	if err := setPrefetch(ch, opts); err != nil {
		return err
	}
	r := &receiver{
		opts:   opts,
		handle: handle,
		// Buffered, and read by the receive loop, as the docs ask.
		closes: ch.NotifyClose(make(chan *amqp.Error, 1)),
	}
	deliveries, err := subscribe(ch, opts)
	if err != nil {
		return err
	}
	if onReady != nil {
		onReady()
	}
	return r.receive(ctx, deliveries)
}

// setPrefetch caps the unacked messages the receiver holds: opts.Prefetch,
// or 1 when it is not set.
func setPrefetch(ch *amqp.Channel, opts ConsumeOptions) error {
	if opts.AutoAck {
		// Prefetch only limits unacked messages, so it means nothing
		// with auto-ack.
		return nil
	}
	prefetch := opts.Prefetch
	if prefetch <= 0 {
		prefetch = 1
	}
	if err := ch.Qos(prefetch, 0, false); err != nil {
		return fmt.Errorf("set prefetch %d: %w", prefetch, err)
	}
	return nil
}

// subscribe asks the broker to push the queue's messages to ch.
func subscribe(ch *amqp.Channel, opts ConsumeOptions) (<-chan amqp.Delivery, error) {
	// Plain Consume, not ConsumeWithContext: the latter sends its own
	// basic.cancel when the context ends, which races with our Close.
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
		return nil, fmt.Errorf("consume from queue %q: %w", opts.Queue, err)
	}
	return deliveries, nil
}

// receiver is the state of one running [Consume].
//
// Each close of its channel starts a new channel session: with
// connection recovery on, the library reopens the channel after an
// outage and the broker numbers deliveries from 1 again, having
// requeued what we held. A tag from an older session would ack the
// wrong message, so the receiver counts sessions and never acks across
// one. The library sends the close the moment the socket dies, long
// before the reopened channel can deliver anything.
type receiver struct {
	opts      ConsumeOptions
	handle    Handler
	closes    <-chan *amqp.Error
	session   int   // channel closes seen so far
	lastClose error // why the channel closed last
}

// receive handles deliveries until ctx ends, the handler abandons a
// delivery, or the subscription ends.
func (r *receiver) receive(ctx context.Context, deliveries <-chan amqp.Delivery) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case e := <-r.closes:
			// With recovery on, the channel comes back and deliveries
			// stays open; without it, deliveries closes right after.
			r.noteClose(e)
		case d, ok := <-deliveries:
			if !ok {
				return r.ended(ctx)
			}
			// A receiver told to stop does not start on a new message;
			// closing the channel hands it back to the queue.
			if ctx.Err() != nil {
				return nil
			}
			if err := r.deliver(ctx, d); err != nil {
				return err
			}
		}
	}
}

// deliver runs the handler on d and answers the broker. It returns an
// error only when the handler abandons d.
func (r *receiver) deliver(ctx context.Context, d amqp.Delivery) error {
	got := r.session
	herr := r.handle(ctx, d)
	if errors.Is(herr, ErrAbandon) {
		return herr
	}
	if r.opts.AutoAck {
		return nil
	}
	r.drainCloses()
	if r.session != got {
		logf(r.opts.Logf, "not answering delivery %d: the connection dropped while handling it, so the broker has requeued it", d.DeliveryTag)
		return nil
	}
	if err := answer(d, herr); err != nil {
		// The channel is gone; the receive loop sees why next.
		logf(r.opts.Logf, "answer delivery %d: %v", d.DeliveryTag, err)
	} else if herr == nil && r.opts.OnAck != nil {
		r.opts.OnAck(d)
	}
	return nil
}

// ended says why the delivery channel closed: the channel's last close
// if there was one, nil if ctx ended meanwhile, else [ErrConsumerClosed].
func (r *receiver) ended(ctx context.Context) error {
	r.drainCloses()
	if r.lastClose != nil {
		return fmt.Errorf("queue %q: %w: %v", r.opts.Queue, ErrConsumerClosed, r.lastClose)
	}
	if ctx.Err() != nil {
		return nil
	}
	return fmt.Errorf("queue %q: %w", r.opts.Queue, ErrConsumerClosed)
}

// noteClose counts a close of the channel as the start of a new session.
func (r *receiver) noteClose(e *amqp.Error) {
	if e != nil {
		r.session++
		r.lastClose = e
		logf(r.opts.Logf, "channel closed: %v", e)
	}
}

// drainCloses notes every close the library has already reported.
func (r *receiver) drainCloses() {
	for {
		select {
		case e := <-r.closes:
			r.noteClose(e)
		default:
			return
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

// logf passes a log line to f, if there is one.
func logf(f func(string, ...any), format string, args ...any) {
	if f != nil {
		f(format, args...)
	}
}
