package mq_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// Reason 1, balancing: 300 messages over 3 workers with prefetch 1;
// each gets a fair share (at least 80 of the 100 an even split gives).
func TestRoundRobinGivesEachWorkerAFairShare(t *testing.T) {
	url := vhost(t)
	counts, err := mq.Balance(t.Context(), url, "tasks", 3, 300, 2*time.Millisecond, nil)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, w := range []string{"worker-1", "worker-2", "worker-3"} {
		if counts[w] < 80 {
			t.Errorf("%s handled %d of 300, want a fair share (>= 80): %v", w, counts[w], counts)
		}
		total += counts[w]
	}
	if total != 300 {
		t.Errorf("handled %d in all, want 300: %v", total, counts)
	}
	t.Log(counts)
}

// Reason 2, availability: messages published while no worker runs
// wait in the queue, and a worker started later handles them all.
func TestMessagesWaitForALateWorker(t *testing.T) {
	url := vhost(t)
	ctx := t.Context()
	if err := mq.ResetQueue(ctx, url, "later"); err != nil {
		t.Fatal(err)
	}
	if err := mq.PublishTasks(ctx, url, "later", "task", 5); err != nil {
		t.Fatal(err)
	}
	st, err := mq.InspectQueue(ctx, url, "later")
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 5 || st.Consumers != 0 {
		t.Fatalf("queue state %+v, want 5 messages and no consumer", st)
	}
	got := collect(t, ctx, url, "later", mq.WorkerOptions{Name: "late"}, 5)
	if len(got) != 5 {
		t.Fatalf("late worker handled %d, want 5", len(got))
	}
}

// Reason 2, availability: a receiver whose channel closes before it
// acks loses nothing; the broker redelivers to another receiver, marked
// redelivered.
func TestUnackedMessageIsRedeliveredAfterChannelCloses(t *testing.T) {
	url := vhost(t)
	ctx := t.Context()
	if err := mq.ResetQueue(ctx, url, "work"); err != nil {
		t.Fatal(err)
	}
	if err := mq.PublishTasks(ctx, url, "work", "task", 1); err != nil {
		t.Fatal(err)
	}

	// The first receiver takes the message and abandons it: [mq.Consume]
	// returns and closes its channel without an ack.
	conn := dial(t, url)
	var first amqp.Delivery
	err := mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "work"},
		func(_ context.Context, d amqp.Delivery) error {
			first = d
			return mq.ErrAbandon
		})
	if !errors.Is(err, mq.ErrAbandon) {
		t.Fatalf("Consume = %v, want ErrAbandon", err)
	}
	if string(first.Body) != "task 1" || first.Redelivered {
		t.Fatalf("first delivery %q redelivered=%v, want a fresh \"task 1\"", first.Body, first.Redelivered)
	}

	got := collect(t, ctx, url, "work", mq.WorkerOptions{Name: "second"}, 1)
	if len(got) != 1 || got[0].Body != "task 1" || !got[0].Redelivered {
		t.Fatalf("second receiver got %+v, want \"task 1\" redelivered", got)
	}
}

// Auto-ack is the opposite: the broker forgets on sending, so a
// receiver that dies loses the message.
func TestAutoAckLosesAMessageOnCrash(t *testing.T) {
	url := vhost(t)
	ctx := t.Context()
	if err := mq.ResetQueue(ctx, url, "fragile"); err != nil {
		t.Fatal(err)
	}
	if err := mq.PublishTasks(ctx, url, "fragile", "task", 1); err != nil {
		t.Fatal(err)
	}
	conn := dial(t, url)
	err := mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "fragile", AutoAck: true},
		func(context.Context, amqp.Delivery) error { return mq.ErrAbandon })
	if !errors.Is(err, mq.ErrAbandon) {
		t.Fatalf("Consume = %v, want ErrAbandon", err)
	}
	st, err := mq.InspectQueue(ctx, url, "fragile")
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages != 0 {
		t.Fatalf("queue holds %d messages after an auto-ack crash, want 0 (lost)", st.Messages)
	}
}

// Reason 3, scaling: with a steady producer, adding workers raises the
// handled rate. Each job takes 50 ms, so one worker handles at most
// 20/s; the ratio asked for is generous so a loaded machine passes.
func TestAddingWorkersRaisesThroughput(t *testing.T) {
	url := vhost(t)
	phases, err := mq.Scale(t.Context(), url, "jobs", 100, 3, 50*time.Millisecond, 2*time.Second, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(phases) != 3 {
		t.Fatalf("got %d phases, want 3", len(phases))
	}
	one, three := phases[0].Rate(), phases[2].Rate()
	t.Logf("1 worker: %.1f/s, 2: %.1f/s, 3: %.1f/s", one, phases[1].Rate(), three)
	if one <= 0 || three < 1.5*one {
		t.Errorf("3 workers handled %.1f/s, 1 worker %.1f/s: want at least 1.5x", three, one)
	}
}

// collect runs one worker until it handled n messages.
func collect(t *testing.T, ctx context.Context, url, queue string, opts mq.WorkerOptions, n int) []mq.Handled {
	t.Helper()
	var (
		mu   sync.Mutex
		got  []mq.Handled
		done = make(chan struct{})
	)
	opts.Queue = queue
	opts.Report = func(h mq.Handled) {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, h)
		if len(got) == n {
			close(done)
		}
	}
	w, err := mq.StartWorker(ctx, url, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Stop()
	select {
	case <-done:
	case <-ctx.Done():
		t.Fatalf("worker %s handled %d of %d before the deadline", opts.Name, len(got), n)
	}
	mu.Lock()
	defer mu.Unlock()
	return got
}
