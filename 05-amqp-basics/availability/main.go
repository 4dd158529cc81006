// Command availability shows reason 2 for a broker: availability.
// Tasks published while no worker runs wait in the queue. A worker that
// dies before acking does not lose its task: the broker gives it to the
// next worker.
//
//	go run ./05-amqp-basics/availability
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func main() {
	url := flag.String("url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	queue := flag.String("queue", "availability-tasks", "queue to use")
	tasks := flag.Int("tasks", 5, "number of tasks")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, *queue, *tasks); err != nil {
		fmt.Fprintln(os.Stderr, "availability:", err)
		os.Exit(1)
	}
}

// run tells reason 2 in three steps: publish while no worker runs, let
// worker-A crash holding a task, let worker-B handle them all.
func run(ctx context.Context, url, queue string, tasks int) error {
	if tasks < 1 {
		return fmt.Errorf("need at least one task (got -tasks %d)", tasks)
	}
	if err := mq.ResetQueue(ctx, url, queue); err != nil {
		return err
	}

	// Step 1: the client sends while every server is down.
	if err := mq.PublishTasks(ctx, url, queue, "task", tasks); err != nil {
		return err
	}
	st, err := mq.InspectQueue(ctx, url, queue)
	if err != nil {
		return err
	}
	fmt.Printf("published %d tasks with no worker running\n", tasks)
	fmt.Printf("queue %q holds %d messages, %d consumers\n", queue, st.Messages, st.Consumers)

	// Step 2: a worker comes up, takes "task 1" and dies before acking.
	if err := crashOnFirst(ctx, url, queue); err != nil {
		return err
	}
	// Step 3: another worker starts and handles everything, the
	// crashed worker's task included.
	if err := handleAll(ctx, url, queue, tasks); err != nil {
		return err
	}
	fmt.Printf("all %d tasks handled, none lost\n", tasks)
	return nil
}

// crashOnFirst runs worker-A, which dies holding the first task it takes.
func crashOnFirst(ctx context.Context, url, queue string) error {
	a, err := mq.StartWorker(ctx, url, mq.WorkerOptions{
		Name: "worker-A", Queue: queue, Report: say,
		CrashOn: func(string) bool { return true },
	})
	if err != nil {
		return err
	}
	if err := a.Wait(); !errors.Is(err, mq.ErrAbandon) {
		return fmt.Errorf("worker-A should have crashed, got %v", err)
	}
	return nil
}

// handleAll runs worker-B until it has handled tasks messages.
func handleAll(ctx context.Context, url, queue string, tasks int) error {
	var (
		mu   sync.Mutex
		left = tasks
		all  = make(chan struct{})
	)
	b, err := mq.StartWorker(ctx, url, mq.WorkerOptions{
		Name: "worker-B", Queue: queue, Work: 20 * time.Millisecond,
		Report: func(h mq.Handled) {
			say(h)
			mu.Lock()
			defer mu.Unlock()
			if left--; left == 0 {
				close(all)
			}
		},
	})
	if err != nil {
		return err
	}
	defer b.Stop()
	select {
	case <-all:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// say prints what a worker did with a task.
func say(h mq.Handled) {
	if h.Crashed {
		fmt.Printf("%s took %q and crashed before acking\n", h.Worker, h.Body)
		return
	}
	again := ""
	if h.Redelivered {
		again = " (redelivered)"
	}
	fmt.Printf("%s handled %q%s\n", h.Worker, h.Body, again)
}
