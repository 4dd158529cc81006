// Command notifier plays nova-compute: it creates an instance (in
// its imagination) and tells the world about it with three
// notifications, the way nova does through oslo.messaging:
// compute.instance.create.start, ….end at INFO, and an error.
//
// Nobody needs to be listening: the notifier declares the queues
// notifications.info and notifications.error, so the events wait
// there for the listener.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

func main() {
	url := flag.String("url", envOr("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
		"broker URL (amqp:// or oslo's rabbit://), default $AMQP_URL")
	publisher := flag.String("publisher", "compute.host1", "publisher id")
	driver := flag.String("driver", "messagingv2", "messagingv2 (envelope) or messaging (v1)")
	topic := flag.String("topic", notify.DefaultTopic, "notification topic")
	allowed := flag.String("allowed",
		"compute.instance.create.start,compute.instance.create.end",
		"comma-separated allowed event types (nova's white list); empty allows all")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg := notify.NotifierConfig{
		PublisherID: *publisher,
		Topics:      []string{*topic},
		Driver:      notify.Driver(*driver),
		Logger:      newLogger(),
	}
	if *allowed != "" {
		cfg.AllowedEventTypes = strings.Split(*allowed, ",")
	}
	if err := run(ctx, *url, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "notifier:", err)
		os.Exit(1)
	}
}

// run sends the story of one instance boot.
func run(ctx context.Context, url string, cfg notify.NotifierConfig) error {
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
	n, err := notify.NewNotifier(conn, cfg)
	if err != nil {
		return err
	}
	defer n.Close()

	// The request context travels with every event: who asked, and
	// the request id that ties the events of one API call together.
	ctx = notify.WithRequestContext(ctx, notify.RequestContext{
		{Key: "user_id", Value: "u1"},
		{Key: "project_id", Value: "p1"},
		{Key: "request_id", Value: "req-6c1b7f3e"},
	})
	events := []struct {
		priority  notify.Priority
		eventType string
		payload   map[string]any
	}{
		{notify.PriorityInfo, "compute.instance.create.start",
			map[string]any{"instance_id": "i-1", "state": "building"}},
		{notify.PriorityInfo, "compute.instance.create.end",
			map[string]any{"instance_id": "i-1", "state": "active"}},
		{notify.PriorityError, "compute.instance.create.error",
			map[string]any{"instance_id": "i-2", "state": "error",
				"message": "No valid host was found."}},
	}
	for _, e := range events {
		if err := n.Notify(ctx, e.priority, e.eventType, e.payload); err != nil {
			return fmt.Errorf("%s: %w", e.eventType, err)
		}
		fmt.Printf("sent %s %s to %s\n", e.priority, e.eventType,
			e.priority.RoutingKey(cfg.Topics[0]))
	}
	return nil
}

// newLogger prints slog records without the time, so the output is
// the same on every run.
func newLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{
		ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey && len(groups) == 0 {
				return slog.Attr{}
			}
			return a
		},
	}))
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
