// The article's three reasons for a broker (section 8.9.3), as code:
//
//  1. balancing — "which server do I send to?": nobody chooses; the
//     workers share one queue and the broker deals messages round robin;
//  2. availability — "what if that server is down?": the queue keeps
//     the message until some worker takes it, and takes it back if the
//     worker dies before acking;
//  3. scaling — "adding servers means changing clients": a new worker
//     just subscribes to the queue; the producer never changes.
//
// Each function returns what happened, for the programs to print and
// the tests to check.

package mq

import (
	"context"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ResetQueue declares a (transient) queue and empties it, so a demo
// starts clean however the last run ended.
func ResetQueue(ctx context.Context, rawURL, name string) error {
	return withChannel(ctx, rawURL, func(ch *amqp.Channel) error {
		if _, err := DeclareQueue(ch, name, false); err != nil {
			return err
		}
		if _, err := ch.QueuePurge(name, false); err != nil {
			return fmt.Errorf("purge queue %q: %w", name, err)
		}
		return nil
	})
}

// QueueState is what the broker reports about a queue.
type QueueState struct {
	Messages  int // ready, not delivered to anyone
	Consumers int
}

// InspectQueue asks the broker about a queue without changing it.
func InspectQueue(ctx context.Context, rawURL, name string) (QueueState, error) {
	var st QueueState
	err := withChannel(ctx, rawURL, func(ch *amqp.Channel) error {
		q, err := ch.QueueDeclarePassive(name, false, false, false, false, nil)
		if err != nil {
			return fmt.Errorf("inspect queue %q: %w", name, err)
		}
		st = QueueState{Messages: q.Messages, Consumers: q.Consumers}
		return nil
	})
	return st, err
}

// PublishTasks publishes bodies "prefix 1" … "prefix n" to queue
// with confirms, so they are all in the queue when it returns.
func PublishTasks(ctx context.Context, rawURL, queue, prefix string, n int) error {
	conn, err := Dial(ctx, rawURL, DialOptions{Name: "producer"})
	if err != nil {
		return err
	}
	defer conn.Close()
	return publishAll(ctx, conn, numbered(queue, prefix, n))
}

// Balance runs as many workers as its workers argument asks for on
// queue, publishes tasks messages, and returns once all are handled.
// report sees each.
func Balance(ctx context.Context, rawURL, queue string, workers, tasks int, work time.Duration, report func(Handled)) (map[string]int, error) {
	if err := ResetQueue(ctx, rawURL, queue); err != nil {
		return nil, err
	}
	var (
		mu     sync.Mutex
		counts = map[string]int{}
		all    = make(chan struct{})
		seen   int
	)
	count := func(h Handled) {
		mu.Lock()
		defer mu.Unlock()
		counts[h.Worker]++
		seen++
		if report != nil {
			report(h)
		}
		if seen == tasks {
			close(all)
		}
	}
	var ws []*Worker
	defer func() {
		for _, w := range ws {
			w.Stop()
		}
	}()
	for i := 1; i <= workers; i++ {
		w, err := StartWorker(ctx, rawURL, WorkerOptions{
			Name: fmt.Sprintf("worker-%d", i), Queue: queue, Work: work, Report: count,
		})
		if err != nil {
			return nil, err
		}
		ws = append(ws, w)
	}
	if err := PublishTasks(ctx, rawURL, queue, "task", tasks); err != nil {
		return nil, err
	}
	select {
	case <-all:
	case <-ctx.Done():
		mu.Lock()
		defer mu.Unlock()
		return nil, fmt.Errorf("balance: %d of %d tasks handled: %w", seen, tasks, ctx.Err())
	}
	mu.Lock()
	defer mu.Unlock()
	return counts, nil
}

// ScalingPhase is one stretch of the scaling demo.
type ScalingPhase struct {
	Workers int
	Handled int
	Elapsed time.Duration
	Backlog int // messages waiting in the queue at the end
}

// Rate is messages handled per second in the phase.
func (p ScalingPhase) Rate() float64 { return float64(p.Handled) / p.Elapsed.Seconds() }

// Scale publishes to queue at a steady rate for the whole run,
// starts with one worker and adds one per phase, up to maxWorkers.
// Each worker spends the duration work on a message. The producer is the same code
// from start to end: it never learns how many workers there are.
func Scale(ctx context.Context, rawURL, queue string, rate, maxWorkers int, work, phase time.Duration, onPhase func(ScalingPhase)) ([]ScalingPhase, error) {
	if err := ResetQueue(ctx, rawURL, queue); err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu      sync.Mutex
		handled int
	)
	count := func(Handled) {
		mu.Lock()
		handled++
		mu.Unlock()
	}

	// The producer: one message every 1/rate, until the demo ends.
	prodErr := make(chan error, 1)
	go func() { prodErr <- produceSteadily(ctx, rawURL, queue, rate) }()

	var (
		ws     []*Worker
		phases []ScalingPhase
	)
	defer func() {
		for _, w := range ws {
			w.Stop()
		}
	}()
	for n := 1; n <= maxWorkers; n++ {
		w, err := StartWorker(ctx, rawURL, WorkerOptions{
			Name: fmt.Sprintf("worker-%d", n), Queue: queue, Work: work, Report: count,
		})
		if err != nil {
			return phases, err
		}
		ws = append(ws, w)

		mu.Lock()
		before, start := handled, time.Now()
		mu.Unlock()
		select {
		case <-time.After(phase):
		case err := <-prodErr:
			return phases, fmt.Errorf("producer: %w", err)
		case <-ctx.Done():
			return phases, ctx.Err()
		}
		mu.Lock()
		p := ScalingPhase{Workers: n, Handled: handled - before, Elapsed: time.Since(start)}
		mu.Unlock()
		if st, err := InspectQueue(ctx, rawURL, queue); err == nil {
			p.Backlog = st.Messages
		}
		phases = append(phases, p)
		if onPhase != nil {
			onPhase(p)
		}
	}
	return phases, nil
}

// produceSteadily publishes "job N" at rate per second until
// ctx ends.
func produceSteadily(ctx context.Context, rawURL, queue string, rate int) error {
	conn, err := Dial(ctx, rawURL, DialOptions{Name: "steady producer"})
	if err != nil {
		return err
	}
	defer conn.Close()
	pub, err := NewPublisher(conn, false)
	if err != nil {
		return err
	}
	defer pub.Close()
	tick := time.NewTicker(time.Second / time.Duration(rate))
	defer tick.Stop()
	for i := 1; ; i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
		err := pub.Publish(ctx, Message{Key: queue, Body: fmt.Appendf(nil, "job %d", i)})
		if err != nil && ctx.Err() == nil {
			return err
		}
	}
}

// publishAll publishes with confirms, one context per message.
func publishAll(ctx context.Context, conn *amqp.Connection, ms []Message) error {
	pub, err := NewPublisher(conn, true)
	if err != nil {
		return err
	}
	defer pub.Close()
	for _, m := range ms {
		mctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := pub.Publish(mctx, m)
		cancel()
		if err != nil {
			return err
		}
	}
	return nil
}

// withChannel runs f on a fresh connection and channel.
func withChannel(ctx context.Context, rawURL string, f func(*amqp.Channel) error) error {
	conn, err := Dial(ctx, rawURL, DialOptions{})
	if err != nil {
		return err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	defer ch.Close()
	return f(ch)
}
