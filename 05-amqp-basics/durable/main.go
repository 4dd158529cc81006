// Command durable shows durability, in two steps around a broker
// restart:
//
//	go run ./05-amqp-basics/durable publish
//	docker compose restart rabbitmq
//	go run ./05-amqp-basics/durable count
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func main() {
	url := flag.String("url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	n := flag.Int("n", 3, "messages per queue for the publish step")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: durable [-url URL] [-n N] {publish|count}")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *n, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "durable:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, n int, args []string) error {
	if len(args) != 1 {
		return errors.New("want one step: publish or count")
	}
	switch args[0] {
	case "publish":
		if err := mq.SeedDurability(ctx, url, n); err != nil {
			return err
		}
		fmt.Printf("queue %q (durable): %d persistent messages, confirmed\n", mq.DurableQueue, n)
		fmt.Printf("queue %q (transient): %d transient messages, confirmed\n", mq.TransientQueue, n)
		return nil
	case "count":
		for _, q := range []string{mq.DurableQueue, mq.TransientQueue} {
			count, err := mq.CountQueue(ctx, url, q)
			switch {
			case errors.Is(err, mq.ErrQueueGone):
				fmt.Printf("queue %q: gone\n", q)
			case err != nil:
				return err
			default:
				fmt.Printf("queue %q: %d messages\n", q, count)
			}
		}
		return nil
	default:
		return fmt.Errorf("unknown step %q: want publish or count", args[0])
	}
}
