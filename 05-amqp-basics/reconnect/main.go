// Command reconnect is a consumer that survives the broker going away
// and coming back, with amqp091-go's own connection recovery. Start it,
// stop the broker ("docker compose stop rabbitmq"), start it again, and
// watch the log.
//
//	go run ./05-amqp-basics/reconnect
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

type config struct {
	url      string
	queue    string
	interval time.Duration
	attempts int
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	flag.StringVar(&c.queue, "queue", "jobs", "queue to consume from (declared durable)")
	flag.DurationVar(&c.interval, "retry-interval", time.Second, "pause before each reconnect attempt")
	flag.IntVar(&c.attempts, "max-attempts", 60, "reconnect attempts before giving up")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		log.Printf("reconnect: %v", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	logger := log.New(os.Stdout, "", log.Ltime)
	opts := mq.RecoveryOptions{Interval: c.interval, MaxAttempts: c.attempts, Logf: logger.Printf}
	conn, err := mq.DialRecovering(ctx, c.url, mq.DialOptions{Name: "reconnect"}, opts)
	if err != nil {
		return err
	}
	defer conn.Close()

	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	// Durable, so the queue and its messages outlive the broker restart.
	if _, err := mq.DeclareQueue(ch, c.queue, true); err != nil {
		return err
	}
	ch.Close()

	logger.Printf("consuming from queue %q (%s)", c.queue, mq.DescribeRecovery(opts))
	err = mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: c.queue, Tag: "reconnect", Logf: logger.Printf},
		func(ctx context.Context, d amqp.Delivery) error {
			logger.Printf("received %q", d.Body)
			return nil
		})
	if err != nil {
		return err
	}
	logger.Printf("stopped")
	return nil
}
