// Command failover kills the node that holds a queue in the middle of a
// load and counts what survived: confirmed, consumed, lost, redelivered.
//
// Start the cluster first (docker compose --profile cluster up -d), then:
//
//	go run ./05-amqp-basics/failover -queue-type quorum -n 10000
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// defaultURLs are the three nodes of docker-compose.yml's cluster profile.
const defaultURLs = "amqp://guest:guest@127.0.0.1:5672/,amqp://guest:guest@127.0.0.1:5673/,amqp://guest:guest@127.0.0.1:5674/"

func main() {
	urls := flag.String("urls", envOr("AMQP_URLS", defaultURLs), "the cluster's nodes, comma-separated (or AMQP_URLS)")
	mgmt := flag.String("mgmt", envOr("RABBITMQ_MANAGEMENT_URL", "http://guest:guest@127.0.0.1:15672"), "management API URL")
	queueType := flag.String("queue-type", "quorum", "classic or quorum")
	n := flag.Int("n", 10000, "messages to publish")
	down := flag.Duration("down", 15*time.Second, "how long the killed node stays down")
	prefix := flag.String("containers", envOr("RMQ_CONTAINER_PREFIX", "rpc-course-"), "node rabbit@rmq2 runs in Docker container <this>rmq2 (or RMQ_CONTAINER_PREFIX)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Stdout, strings.Split(*urls, ","), *mgmt, mq.DockerNodes{Prefix: *prefix}, *queueType, *n, *down); err != nil {
		log.Fatal(err)
	}
}

func run(ctx context.Context, out io.Writer, urls []string, mgmt string, nodes mq.Nodes, queueType string, n int, down time.Duration) error {
	if queueType != "classic" && queueType != "quorum" {
		return fmt.Errorf("-queue-type %q: want classic or quorum", queueType)
	}
	if len(urls) < 2 {
		return fmt.Errorf("-urls: need at least two nodes, got %d", len(urls))
	}
	// The publisher prefers the first node (the queue lives there), the
	// consumer the second: they meet only in the queue.
	consumeURLs := append(append([]string{}, urls[1:]...), urls[0])
	f := &mq.Failover{
		PublishURLs: urls,
		ConsumeURLs: consumeURLs,
		Management:  mgmt,
		Nodes:       nodes,
		Queue:       "failover-" + queueType,
		QueueType:   queueType,
		Messages:    n,
		DownFor:     down,
	}
	c, err := f.Run(ctx)
	PrintCounts(out, c)
	return err
}

// PrintCounts prints one run's counts as a table.
func PrintCounts(out io.Writer, c mq.Counts) {
	tw := tabwriter.NewWriter(out, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "queue type\t%s\n", c.QueueType)
	fmt.Fprintf(tw, "killed node\t%s\n", c.Killed)
	fmt.Fprintf(tw, "published\t%d\n", c.Messages)
	fmt.Fprintf(tw, "confirmed\t%d\n", c.Confirmed)
	fmt.Fprintf(tw, "consumed\t%d\n", c.Consumed)
	fmt.Fprintf(tw, "lost (confirmed, never consumed)\t%d\n", c.Lost)
	fmt.Fprintf(tw, "redelivered\t%d\n", c.Redelivered)
	fmt.Fprintf(tw, "duplicates skipped\t%d\n", c.Duplicates)
	fmt.Fprintf(tw, "reconnects (publisher, consumer)\t%d, %d\n", c.PublisherReconnects, c.ConsumerReconnects)
	if c.Recovery > 0 {
		fmt.Fprintf(tw, "kill → first new message\t%.1f s\n", c.Recovery.Seconds())
	} else {
		fmt.Fprintf(tw, "kill → first new message\tnone\n")
	}
	tw.Flush()
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
