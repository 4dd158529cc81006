// Command balance shows reason 1 for a broker: balancing. Three
// workers share one queue with prefetch 1; the producer sends tasks to
// the queue, never to a worker, and the broker deals them out round
// robin.
//
//	go run ./05-amqp-basics/balance
//	go run ./05-amqp-basics/balance -workers 4 -tasks 20
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sort"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func main() {
	url := flag.String("url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	queue := flag.String("queue", "balance-tasks", "queue the workers share")
	workers := flag.Int("workers", 3, "number of workers")
	tasks := flag.Int("tasks", 9, "number of tasks to publish")
	work := flag.Duration("work", 100*time.Millisecond, "time each task takes")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *queue, *workers, *tasks, *work); err != nil {
		fmt.Fprintln(os.Stderr, "balance:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url, queue string, workers, tasks int, work time.Duration) error {
	if workers < 1 || tasks < 1 {
		return fmt.Errorf("need at least one worker and one task (got -workers %d -tasks %d)", workers, tasks)
	}
	fmt.Printf("%d workers on queue %q, prefetch 1; publishing %d tasks\n", workers, queue, tasks)
	counts, err := mq.Balance(ctx, url, queue, workers, tasks, work, func(h mq.Handled) {
		fmt.Printf("%s handled %q\n", h.Worker, h.Body)
	})
	if err != nil {
		return err
	}
	names := make([]string, 0, len(counts))
	for n := range counts {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Printf("%s: %d tasks\n", n, counts[n])
	}
	return nil
}
