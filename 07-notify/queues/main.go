// Command queues prints the notification queues the way
// rabbitmqctl list_queues name messages consumers does, like the
// article's screenshots of the RabbitMQ console. AMQP itself has no
// "list" method, so it asks about each queue a notification topic
// can have (notifications.audit … notifications.sample, and any
// -pool) with a passive declare, and skips those that don't exist.
package main

import (
	"context"
	"flag"
	"fmt"
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

func main() {
	amqpURL := flag.String("url", envOr("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/"),
		"broker URL (amqp:// or oslo's rabbit://), default $AMQP_URL")
	topic := flag.String("topic", notify.DefaultTopic, "notification topic")
	pools := flag.String("pool", "", "comma-separated pool names to show too")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *amqpURL, *topic, *pools); err != nil {
		fmt.Fprintln(os.Stderr, "queues:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, amqpURL, topic, pools string) error {
	conn, err := notify.Dial(amqpURL)
	if err != nil {
		return err
	}
	defer conn.Close()

	var names []string
	for _, p := range notify.Priorities {
		names = append(names, p.RoutingKey(topic))
	}
	if pools != "" {
		names = append(names, strings.Split(pools, ",")...)
	}
	fmt.Printf("Listing queues for vhost %s ...\n", vhost(amqpURL))
	w := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(w, "name\tmessages\tconsumers")
	for _, name := range names {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		q, ok, err := notify.InspectQueue(conn, name)
		if err != nil {
			return err
		}
		if ok {
			fmt.Fprintf(w, "%s\t%d\t%d\n", q.Name, q.Messages, q.Consumers)
		}
	}
	return w.Flush()
}

// vhost extracts the virtual host from the URL, as rabbitmqctl
// names it ("/" when the path is empty).
func vhost(raw string) string {
	amqpURL, err := notify.AMQPURL(raw)
	if err != nil {
		return "?"
	}
	u, err := url.Parse(amqpURL)
	if err != nil || u.Path == "" || u.Path == "/" {
		return "/"
	}
	return strings.TrimPrefix(u.Path, "/")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
