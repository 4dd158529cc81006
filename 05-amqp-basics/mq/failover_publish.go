package mq

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// A ConfirmingPublisher publishes messages 0 … N-1 and counts one as sent
// only when the broker confirms it: publisher confirms are the broker's
// receipt ("I have it, on disk and, for a quorum queue, on a majority of
// nodes"). When the connection dies, every message not yet confirmed is
// published again on a connection to a surviving node, so a message is
// never lost on the way in; the price is that the broker may get one twice
// (it had it, but the receipt died with the node), which the consumer must
// tolerate.
type ConfirmingPublisher struct {
	Dialer    Dialer
	Declare   func(ch *amqp.Channel) error // declares the queue on each new connection
	Queue     string
	Messages  int
	Window    int                 // messages in flight before waiting for receipts (default 100)
	Confirmed func(id, total int) // called once per newly confirmed message
	// ConfirmTimeout is how long a batch may wait for its receipts (default
	// 5 s): after a node dies, a channel can wait for a queue leader that
	// is gone, and only a fresh connection finds the new one.
	ConfirmTimeout time.Duration

	sent       atomic.Int64 // how far the publisher got: every id below was published at least once
	reconnects atomic.Int64
	mu         sync.Mutex
	confirmed  []bool
	total      int
}

// Run publishes until every message is confirmed, reconnecting as needed.
func (p *ConfirmingPublisher) Run(ctx context.Context) error {
	window := p.Window
	if window <= 0 {
		window = 100
	}
	p.confirmed = make([]bool, p.Messages)
	var todo []int // unconfirmed ids to publish again
	next := 0
	for next < p.Messages || len(todo) > 0 {
		conn, ch, returns, err := p.open(ctx)
		if err != nil {
			return err
		}
		for next < p.Messages || len(todo) > 0 {
			batch := todo
			for len(batch) < window && next < p.Messages {
				batch = append(batch, next)
				next++
			}
			todo = nil
			if int64(next) > p.sent.Load() {
				p.sent.Store(int64(next))
			}
			if todo, err = p.publish(ctx, ch, returns, batch); err != nil {
				break
			}
		}
		conn.Close()
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if err != nil {
			p.reconnects.Add(1)
			p.Dialer.logf("%s: %v; %d messages to publish again", p.Dialer.Name, err, len(todo))
		}
	}
	return nil
}

// open connects to a node, puts a channel in confirm mode and declares the
// queue; a queue that cannot be declared (its node is down) is retried
// within the dialer's bounds.
func (p *ConfirmingPublisher) open(ctx context.Context) (*amqp.Connection, *amqp.Channel, chan amqp.Return, error) {
	d := p.Dialer
	rounds := max(d.Rounds, 90) // a queue whose node is down: wait up to about 90 s
	for attempt := 1; ; attempt++ {
		conn, u, err := d.Dial(ctx)
		if err != nil {
			return nil, nil, nil, err
		}
		ch, err := conn.Channel()
		if err == nil {
			err = ch.Confirm(false)
		}
		if err == nil {
			err = p.Declare(ch)
		}
		if err == nil {
			returns := ch.NotifyReturn(make(chan amqp.Return, 1000))
			d.logf("%s: connected to %s", d.Name, Host(u))
			return conn, ch, returns, nil
		}
		conn.Close()
		if attempt >= rounds {
			return nil, nil, nil, fmt.Errorf("%s: queue %s unusable: %w", d.Name, p.Queue, err)
		}
		d.logf("%s: %s: %v (attempt %d/%d)", d.Name, Host(u), err, attempt, rounds)
		select {
		case <-ctx.Done():
			return nil, nil, nil, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// publish sends one batch and waits for its receipts. It returns the ids
// that were not confirmed: nacked, returned as unroutable, or cut off by a
// dead connection (then with an error).
func (p *ConfirmingPublisher) publish(ctx context.Context, ch *amqp.Channel, returns chan amqp.Return, batch []int) ([]int, error) {
	receipts := make([]*amqp.DeferredConfirmation, 0, len(batch))
	var failed error
	for _, id := range batch {
		dc, err := ch.PublishWithDeferredConfirmWithContext(ctx, "", p.Queue,
			true,  // mandatory: a message no queue takes comes back, it is not dropped
			false, // immediate
			amqp.Publishing{
				MessageId:    strconv.Itoa(id),
				DeliveryMode: amqp.Persistent,
				Body:         []byte("message " + strconv.Itoa(id)),
			})
		if err != nil {
			failed = fmt.Errorf("publish: %w", err)
			break
		}
		receipts = append(receipts, dc)
	}
	// One deadline for the whole batch: a receipt that does not come in
	// time is treated as lost, and the message is published again on a
	// fresh connection (the broker may have it: a duplicate, which the
	// consumer skips).
	wctx, cancel := context.WithTimeout(ctx, p.confirmTimeout())
	defer cancel()
	var again []int
	for i, dc := range receipts {
		acked, err := waitReceipt(wctx, dc)
		if err != nil && failed == nil {
			failed = fmt.Errorf("confirm: %w", err)
		}
		if !acked {
			again = append(again, batch[i])
		}
	}
	again = append(again, batch[len(receipts):]...)
	// A basic.return comes before the ack of the same message, so every
	// return for this batch is already waiting here.
	returned := map[int]bool{}
	for drained := false; !drained; {
		select {
		case r, ok := <-returns:
			if !ok { // closed with its channel
				drained = true
				break
			}
			id, _ := strconv.Atoi(r.MessageId)
			returned[id] = true
		default:
			drained = true
		}
	}
	for i := range receipts {
		id := batch[i]
		if returned[id] {
			again = append(again, id)
		} else if !slices.Contains(again, id) {
			p.confirm(id)
		}
	}
	if failed == nil && len(returned) > 0 {
		failed = errors.New("messages returned unroutable")
	}
	return again, failed
}

func (p *ConfirmingPublisher) confirm(id int) {
	p.mu.Lock()
	fresh := !p.confirmed[id]
	p.confirmed[id] = true
	if fresh {
		p.total++
	}
	total := p.total
	p.mu.Unlock()
	if fresh && p.Confirmed != nil {
		p.Confirmed(id, total)
	}
}

// IsConfirmed reports whether the broker confirmed message id.
func (p *ConfirmingPublisher) IsConfirmed(id int) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.confirmed[id]
}

func (p *ConfirmingPublisher) confirmTimeout() time.Duration {
	if p.ConfirmTimeout > 0 {
		return p.ConfirmTimeout
	}
	return 5 * time.Second
}

// waitReceipt waits for one receipt; one that is already there counts even
// when the deadline has passed.
func waitReceipt(ctx context.Context, dc *amqp.DeferredConfirmation) (bool, error) {
	select {
	case <-dc.Done():
		return dc.Acked(), nil
	default:
	}
	select {
	case <-dc.Done():
		return dc.Acked(), nil
	case <-ctx.Done():
		return false, ctx.Err()
	}
}
