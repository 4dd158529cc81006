// Publishing: the publisher hands a message to an exchange, never to a
// queue. The default exchange "" routes by queue name, which is why
// the article's basic_publish(exchange='', routing_key='name') lands
// in queue "name".
//
// A plain publish is fire-and-forget: the call returns once the bytes
// are in the socket buffer. With publisher confirms the broker answers
// every message with an ack (stored, or routed to no queue) or a nack
// (lost inside the broker), so the publisher knows.

package mq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Message is what a publisher sends.
type Message struct {
	Exchange   string // "" is the default exchange
	Key        string // routing key; for the default exchange, the queue name
	Body       []byte
	Persistent bool // written to disk by a durable queue
}

// ErrNacked means the broker refused responsibility for a message.
var ErrNacked = errors.New("broker nacked the message")

// ErrChannelClosed means the publisher's channel is gone; make a new
// [Publisher] (the amqp091-go docs: throw a channel away after an error).
var ErrChannelClosed = errors.New("channel closed")

// Publisher owns one channel. Use it from one goroutine; give each
// publishing goroutine its own [Publisher].
type Publisher struct {
	ch      *amqp.Channel
	confirm bool

	mu     sync.Mutex
	closed error         // why the channel closed, once it has
	gone   chan struct{} // closed when closed is set
}

// NewPublisher opens a channel on conn. With confirm it puts the
// channel in confirm mode, and Publish waits for the broker's answer.
// Once its channel has closed — even on a connection that recovers —
// a [Publisher] only returns [ErrChannelClosed]: make a new one.
func NewPublisher(conn *amqp.Connection, confirm bool) (*Publisher, error) {
	ch, err := conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("open channel: %w", err)
	}
	if confirm {
		if err := ch.Confirm(false); err != nil {
			ch.Close()
			return nil, fmt.Errorf("enable confirms: %w", err)
		}
	}
	p := &Publisher{ch: ch, confirm: confirm, gone: make(chan struct{})}

	// The library sends close reasons to us synchronously; a buffered
	// channel that a goroutine always drains keeps it from blocking.
	closes := ch.NotifyClose(make(chan *amqp.Error, 1))
	go func() {
		var first *amqp.Error
		for e := range closes {
			if first == nil && e != nil {
				first = e
				p.setClosed(e)
			}
		}
		p.setClosed(amqp.ErrClosed)
	}()
	return p, nil
}

// Channel exposes the channel, e.g. to declare a queue before publishing.
func (p *Publisher) Channel() *amqp.Channel { return p.ch }

// Publish sends m. In confirm mode it then waits, at most until
// ctx ends, for the broker's ack. Use one context per message: the
// library checks it only before sending, so the wait is ours.
func (p *Publisher) Publish(ctx context.Context, m Message) error {
	dc, err := p.PublishDeferred(ctx, m)
	if err != nil || dc == nil {
		return err
	}
	return p.Wait(ctx, dc)
}

// PublishDeferred sends m and returns its pending confirmation
// (nil when confirms are off). Sending many and waiting afterwards
// keeps the pipe full; see the benchmark.
func (p *Publisher) PublishDeferred(ctx context.Context, m Message) (*amqp.DeferredConfirmation, error) {
	if err := p.err(); err != nil {
		return nil, err
	}
	mode := amqp.Transient
	if m.Persistent {
		mode = amqp.Persistent
	}
	dc, err := p.ch.PublishWithDeferredConfirmWithContext(ctx,
		m.Exchange,
		m.Key,
		false, // mandatory: see the exercises
		false, // immediate: RabbitMQ does not support it
		amqp.Publishing{
			ContentType:  "text/plain",
			DeliveryMode: mode,
			Body:         m.Body,
		})
	if err != nil {
		return nil, fmt.Errorf("publish to exchange %q key %q: %w", m.Exchange, m.Key, err)
	}
	return dc, nil
}

// Wait waits for one confirmation.
func (p *Publisher) Wait(ctx context.Context, dc *amqp.DeferredConfirmation) error {
	acked, err := dc.WaitContext(ctx)
	if err != nil {
		return fmt.Errorf("wait for confirm of message %d: %w", dc.DeliveryTag, err)
	}
	if !acked {
		// A channel that closes nacks every pending confirmation;
		// give its close reason a moment to arrive.
		if p.ch.IsClosed() {
			select {
			case <-p.gone:
			case <-time.After(time.Second):
			}
		}
		if cerr := p.err(); cerr != nil {
			return fmt.Errorf("message %d: %w", dc.DeliveryTag, cerr)
		}
		return fmt.Errorf("message %d: %w", dc.DeliveryTag, ErrNacked)
	}
	return nil
}

// Close closes the channel (not the connection).
func (p *Publisher) Close() error {
	err := p.ch.Close()
	if errors.Is(err, amqp.ErrClosed) {
		return nil
	}
	return err
}

func (p *Publisher) setClosed(e error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed == nil {
		p.closed = e
		close(p.gone)
	}
}

func (p *Publisher) err() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed != nil {
		return fmt.Errorf("%w: %v", ErrChannelClosed, p.closed)
	}
	return nil
}
