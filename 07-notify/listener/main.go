// Command listener is a tiny ceilometer: it listens for
// notifications at every priority and prints each one, labelled with
// its priority. With -count N it stops after N notifications and
// prints how many it got per priority.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"sync"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

func main() {
	url := flag.String("url", envOr("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
		"broker URL (amqp:// or oslo's rabbit://), default $AMQP_URL")
	topic := flag.String("topic", notify.DefaultTopic, "notification topic")
	pool := flag.String("pool", "", "listener pool (one shared queue per pool)")
	eventType := flag.String("event-type", "", "only event types matching this regexp (anchored at the start)")
	count := flag.Int("count", 0, "stop after this many notifications (0: run until Ctrl-C)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *topic, *pool, *eventType, *count); err != nil {
		fmt.Fprintln(os.Stderr, "listener:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url, topic, pool, eventType string, count int) error {
	filter, err := notify.NewFilter(notify.FilterRule{EventType: eventType})
	if err != nil {
		return err
	}
	// A broker that is not up yet gets some time (logged), as
	// oslo.messaging gives it; Ctrl-C ends the wait.
	conn, err := notify.Dialer{}.DialContext(ctx, url)
	if ctx.Err() != nil {
		return nil // Ctrl-C while waiting for the broker
	}
	if err != nil {
		return err
	}
	defer conn.Close()

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	meter := &ceilometer{filter: filter, counts: map[notify.Priority]int{},
		limit: count, done: cancel, ready: make(chan struct{})}
	l, err := notify.NewNotificationListener(conn, notify.ListenerConfig{
		Targets:   []notify.Target{{Topic: topic}},
		Endpoints: []any{meter},
		Pool:      pool,
		Logger:    slog.New(slog.NewTextHandler(os.Stderr, nil)),
	})
	if err != nil {
		return err
	}
	if err := l.Start(ctx); err != nil {
		return err
	}
	// The queues are bound now: say so, then let the endpoint print
	// the events (some may have been waiting in the queues).
	if pool != "" {
		fmt.Printf("listening on %s, bound with %s\n", pool, strings.Join(l.RoutingKeys(), ", "))
	} else {
		fmt.Printf("listening on %s\n", strings.Join(l.Queues(), ", "))
	}
	close(meter.ready)
	<-ctx.Done()
	if err := l.Stop(); err != nil {
		return err
	}
	meter.summary()
	return nil
}

// ceilometer is the endpoint: one method per priority, each
// printing the event.
type ceilometer struct {
	filter *notify.Filter
	ready  chan struct{} // closed once "listening on" is printed

	mu     sync.Mutex
	counts map[notify.Priority]int
	total  int
	limit  int
	done   func()
}

// FilterRule makes the listener skip events -event-type excludes.
func (c *ceilometer) FilterRule() *notify.Filter { return c.filter }

func (c *ceilometer) record(ctx context.Context, p notify.Priority, publisherID, eventType string, payload any, md notify.Metadata) error {
	<-c.ready
	body, err := json.Marshal(payload)
	if err != nil {
		return err
	}
	req, _ := notify.RequestContextFrom(ctx).Get("request_id")
	fmt.Printf("[%s] %s %s %s request_id=%v at %s\n",
		p, publisherID, eventType, body, req, md.Timestamp)
	c.mu.Lock()
	defer c.mu.Unlock()
	c.counts[p]++
	c.total++
	if c.limit > 0 && c.total >= c.limit {
		c.done()
	}
	return nil
}

// summary prints the totals in priority order.
func (c *ceilometer) summary() {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Printf("received %d notifications\n", c.total)
	for _, p := range notify.Priorities {
		if n := c.counts[p]; n > 0 {
			fmt.Printf("  %-8s %d\n", strings.ToLower(string(p)), n)
		}
	}
}

func (c *ceilometer) Audit(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityAudit, pub, et, payload, md)
}

func (c *ceilometer) Debug(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityDebug, pub, et, payload, md)
}

func (c *ceilometer) Info(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityInfo, pub, et, payload, md)
}

func (c *ceilometer) Warn(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityWarn, pub, et, payload, md)
}

func (c *ceilometer) Error(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityError, pub, et, payload, md)
}

func (c *ceilometer) Critical(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PriorityCritical, pub, et, payload, md)
}

func (c *ceilometer) Sample(ctx context.Context, pub, et string, payload any, md notify.Metadata) error {
	return c.record(ctx, notify.PrioritySample, pub, et, payload, md)
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
