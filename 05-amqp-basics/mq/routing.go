// Routing: an exchange receives every message and copies it into the
// queues whose binding matches. The exchange type is the matching rule:
//
//   - direct: routing key == binding key;
//   - topic: the routing key matches the binding pattern, words split
//     by ".", "*" is exactly one word, "#" is zero or more words;
//   - fanout: every bound queue, keys ignored.
//
// A message routed to no queue is dropped (unless published
// "mandatory"). A message routed to two queues is two copies.

package mq

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Binding ties a queue to an exchange under a key (a pattern for
// topic exchanges; ignored by fanout).
type Binding struct {
	Queue string
	Key   string
}

// DeclareQueue makes sure a queue exists. A durable queue survives a
// broker restart (its persistent messages too); a transient one does not.
// Declaring is idempotent, so publisher and receiver both do it, as in
// the article.
func DeclareQueue(ch *amqp.Channel, name string, durable bool) (amqp.Queue, error) {
	q, err := ch.QueueDeclare(
		name,
		durable,
		false, // auto-delete when the last consumer leaves
		false, // exclusive to this connection
		false, // no-wait
		nil,   // arguments
	)
	if err != nil {
		return q, fmt.Errorf("declare queue %q: %w", name, err)
	}
	return q, nil
}

// DeclareExchange declares an exchange of type kind
// ("direct", "topic", "fanout") and its bindings, with their queues.
// Exchange and queues are not durable: a demo leaves nothing behind
// after a broker restart.
func DeclareExchange(ch *amqp.Channel, name, kind string, bindings []Binding) error {
	err := ch.ExchangeDeclare(
		name,
		kind,
		false, // durable
		false, // auto-delete when the last binding goes
		false, // internal: publishers may use it
		false, // no-wait
		nil,
	)
	if err != nil {
		return fmt.Errorf("declare %s exchange %q: %w", kind, name, err)
	}
	for _, b := range bindings {
		if _, err := DeclareQueue(ch, b.Queue, false); err != nil {
			return err
		}
		if err := ch.QueueBind(b.Queue, b.Key, name, false, nil); err != nil {
			return fmt.Errorf("bind queue %q to %q with %q: %w", b.Queue, name, b.Key, err)
		}
	}
	return nil
}

// Received is one message as a receiver saw it.
type Received struct {
	Receiver string
	Queue    string
	Key      string
	Body     string
}

// Receiver names a receiver and the queue it reads.
type Receiver struct {
	Name  string
	Queue string
}

// Collect runs the receivers (each its own channel, prefetch 1),
// then calls publish, then waits until no receiver got anything for
// the duration quiet. It returns what each receiver got, in delivery
// order per receiver, receivers sorted by name. The duration work is
// how long each message takes to handle.
func Collect(ctx context.Context, conn *amqp.Connection, receivers []Receiver,
	work, quiet time.Duration, publish func(context.Context) error) ([]Received, error) {

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu   sync.Mutex
		got  = map[string][]Received{}
		last = time.Now()
		wg   sync.WaitGroup
		errs = make(chan error, len(receivers))
	)
	ready := make(chan struct{}, len(receivers))
	for _, r := range receivers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := consumeReady(ctx, conn, ConsumeOptions{Queue: r.Queue, Tag: r.Name}, ready, func(ctx context.Context, d amqp.Delivery) error {
				sleep(ctx, work)
				mu.Lock()
				got[r.Name] = append(got[r.Name], Received{r.Name, r.Queue, d.RoutingKey, string(d.Body)})
				last = time.Now()
				mu.Unlock()
				return nil
			})
			if err != nil {
				errs <- fmt.Errorf("receiver %s: %w", r.Name, err)
			}
		}()
	}
	// Publish only once every receiver is subscribed, or the first
	// one up would get more than its share.
	for range receivers {
		select {
		case <-ready:
		case err := <-errs:
			return nil, err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err := publish(ctx); err != nil {
		return nil, err
	}
	mu.Lock()
	last = time.Now()
	mu.Unlock()

	tick := time.NewTicker(quiet / 5)
	defer tick.Stop()
	for {
		select {
		case err := <-errs:
			return nil, err
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-tick.C:
		}
		mu.Lock()
		idle := time.Since(last)
		mu.Unlock()
		if idle >= quiet {
			break
		}
	}
	cancel()
	wg.Wait()

	names := make([]string, 0, len(got))
	for n := range got {
		names = append(names, n)
	}
	sort.Strings(names)
	var out []Received
	for _, n := range names {
		out = append(out, got[n]...)
	}
	return out, nil
}

// consumeReady is [Consume] that signals ready once subscribed.
func consumeReady(ctx context.Context, conn *amqp.Connection, opts ConsumeOptions, ready chan<- struct{}, h Handler) error {
	return consume(ctx, conn, opts, func() { ready <- struct{}{} }, h)
}

// sleep waits d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
