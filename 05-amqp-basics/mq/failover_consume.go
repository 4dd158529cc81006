package mq

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Idempotent remembers which messages were handled, so a message that
// comes twice is handled once. At-least-once delivery makes duplicates
// possible: a consumer's ack can die with a node (the message comes again,
// flagged redelivered), and a publisher that lost its receipt publishes
// again. Remembering ids is the simplest cure; a real service keeps them
// where its results are (a unique key in its database).
type Idempotent struct {
	mu   sync.Mutex
	seen map[string]bool
}

// First records id and reports whether it is new; false means "a
// duplicate: acknowledge it, do nothing else".
func (s *Idempotent) First(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.seen == nil {
		s.seen = map[string]bool{}
	}
	if s.seen[id] {
		return false
	}
	s.seen[id] = true
	return true
}

// Seen reports whether id was handled.
func (s *Idempotent) Seen(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.seen[id]
}

// Len is how many distinct messages were handled.
func (s *Idempotent) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.seen)
}

// An AckingConsumer takes messages with manual acks: a message leaves the
// queue only when the consumer says it is done with it, so a consumer (or
// a node) that dies before the ack loses nothing — the message is
// delivered again. When its connection dies, it reconnects to a surviving
// node and consumes again.
type AckingConsumer struct {
	Dialer   Dialer
	Declare  func(ch *amqp.Channel) error
	Queue    string
	Prefetch int // unacked messages the broker may push at once (default 100)
	// Handle is called once per message id (duplicates are filtered out),
	// before the ack.
	Handle func(d amqp.Delivery)

	Handled     Idempotent
	mu          sync.Mutex
	redelivered int // deliveries flagged redelivered
	duplicates  int // deliveries whose id was handled before
	reconnects  int
}

// Run consumes until ctx ends.
func (c *AckingConsumer) Run(ctx context.Context) error {
	for ctx.Err() == nil {
		conn, deliveries, err := c.open(ctx)
		if err != nil {
			return err
		}
		err = c.consume(ctx, deliveries)
		conn.Close()
		if ctx.Err() != nil {
			return nil
		}
		c.mu.Lock()
		c.reconnects++
		c.mu.Unlock()
		c.Dialer.logf("%s: %v; reconnecting", c.Dialer.Name, err)
	}
	return nil
}

func (c *AckingConsumer) open(ctx context.Context) (*amqp.Connection, <-chan amqp.Delivery, error) {
	d := c.Dialer
	rounds := max(d.Rounds, 90) // a queue whose node is down: wait up to about 90 s
	prefetch := c.Prefetch
	if prefetch <= 0 {
		prefetch = 100
	}
	for attempt := 1; ; attempt++ {
		conn, u, err := d.Dial(ctx)
		if err != nil {
			return nil, nil, err
		}
		var deliveries <-chan amqp.Delivery
		ch, err := conn.Channel()
		if err == nil {
			err = ch.Qos(prefetch, 0, false)
		}
		if err == nil {
			err = c.Declare(ch)
		}
		if err == nil {
			deliveries, err = ch.Consume(c.Queue, "", false, false, false, false, nil)
		}
		if err == nil {
			d.logf("%s: consuming from %s", d.Name, Host(u))
			return conn, deliveries, nil
		}
		conn.Close()
		if attempt >= rounds {
			return nil, nil, fmt.Errorf("%s: queue %s unusable: %w", d.Name, c.Queue, err)
		}
		d.logf("%s: %s: %v (attempt %d/%d)", d.Name, Host(u), err, attempt, rounds)
		select {
		case <-ctx.Done():
			return nil, nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// consume handles deliveries until the channel closes (the node died, or
// the broker cancelled the consumer) or ctx ends.
func (c *AckingConsumer) consume(ctx context.Context, deliveries <-chan amqp.Delivery) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case d, ok := <-deliveries:
			if !ok {
				return fmt.Errorf("deliveries stopped")
			}
			c.mu.Lock()
			if d.Redelivered {
				c.redelivered++
			}
			c.mu.Unlock()
			if c.Handled.First(d.MessageId) {
				if c.Handle != nil {
					c.Handle(d)
				}
			} else {
				c.mu.Lock()
				c.duplicates++
				c.mu.Unlock()
			}
			// An ack on a dead channel fails; the message then comes again
			// and is counted as a duplicate above.
			_ = d.Ack(false)
		}
	}
}

// Stats are the consumer's counts so far.
func (c *AckingConsumer) Stats() (redelivered, duplicates, reconnects int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.redelivered, c.duplicates, c.reconnects
}

// messageID is the number in a message id, or -1.
func messageID(d amqp.Delivery) int {
	id, err := strconv.Atoi(d.MessageId)
	if err != nil {
		return -1
	}
	return id
}
