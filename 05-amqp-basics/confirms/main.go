// Command confirms publishes with publisher confirms: the broker
// answers every message, so the publisher knows which ones it is
// responsible for now.
//
//	go run ./05-amqp-basics/confirms
//	go run ./05-amqp-basics/confirms -exchange no-such-exchange
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
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
	exchange string
	n        int
	timeout  time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	flag.StringVar(&c.queue, "queue", "confirmed", "queue to publish to (declared durable)")
	flag.StringVar(&c.exchange, "exchange", "", "exchange to publish to (\"\": the default exchange)")
	flag.IntVar(&c.n, "n", 5, "messages to publish")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Second, "how long to wait for all confirms")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "confirms:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	conn, err := mq.Dial(ctx, c.url, mq.DialOptions{Name: "confirms"})
	if err != nil {
		return err
	}
	defer conn.Close()

	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		return err
	}
	defer pub.Close()
	if _, err := mq.DeclareQueue(pub.Channel(), c.queue, true); err != nil {
		return err
	}

	// Publish all first, then wait: the confirms stream back while we
	// send, instead of one round trip per message.
	var pending []*amqp.DeferredConfirmation
	for i := 1; i <= c.n; i++ {
		dc, err := pub.PublishDeferred(ctx, mq.Message{
			Exchange:   c.exchange,
			Key:        c.queue,
			Body:       fmt.Appendf(nil, "order %d", i),
			Persistent: true,
		})
		if err != nil {
			// A message the broker cannot route to its exchange closes
			// the channel, and any publish after that fails. When that
			// happens depends on the network; the confirms of what was
			// sent before it say why, so wait for those.
			if errors.Is(err, amqp.ErrClosed) && len(pending) > 0 {
				break
			}
			return err
		}
		pending = append(pending, dc)
	}
	fmt.Printf("published %d persistent messages, waiting for confirms\n", len(pending))

	wctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	for _, dc := range pending {
		if err := pub.Wait(wctx, dc); err != nil {
			return err
		}
		fmt.Printf("message %d confirmed\n", dc.DeliveryTag)
	}
	fmt.Printf("%d of %d confirmed: the broker has them\n", len(pending), c.n)
	return nil
}
