// Command scaling shows reason 3 for a broker: scaling. A producer
// publishes at a steady rate for the whole run. Every phase one more
// worker subscribes; the handled rate rises while the producer's code
// and configuration stay the same.
//
//	go run ./05-amqp-basics/scaling
//	go run ./05-amqp-basics/scaling -rate 200 -workers 4
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func main() {
	url := flag.String("url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	queue := flag.String("queue", "scaling-jobs", "queue to use")
	rate := flag.Int("rate", 100, "messages the producer publishes per second")
	workers := flag.Int("workers", 3, "workers at the end (one more per phase)")
	work := flag.Duration("work", 40*time.Millisecond, "time each job takes")
	phase := flag.Duration("phase", 2*time.Second, "length of each phase")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *queue, *rate, *workers, *work, *phase); err != nil {
		fmt.Fprintln(os.Stderr, "scaling:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url, queue string, rate, workers int, work, phase time.Duration) error {
	if rate < 1 || workers < 1 || phase <= 0 {
		return fmt.Errorf("need -rate, -workers and -phase above zero")
	}
	fmt.Printf("producer: %d msg/s to queue %q; each job takes %s\n", rate, queue, work)
	_, err := mq.Scale(ctx, url, queue, rate, workers, work, phase, func(p mq.ScalingPhase) {
		fmt.Printf("%d worker(s): %.0f msg/s handled, %d waiting in the queue\n", p.Workers, p.Rate(), p.Backlog)
	})
	return err
}
