package mq_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// Across a real broker restart (the container is stopped and started):
// a durable queue keeps its persistent, confirmed messages — all of
// them — while a transient queue is gone with its messages.
func TestDurablePersistentConfirmedMessagesSurviveARestart(t *testing.T) {
	b := broker.Get(t)
	url := b.NewVhost(t)
	const n = 50
	if err := mq.SeedDurability(t.Context(), url, n); err != nil {
		t.Fatal(err)
	}

	b.Restart(t)

	ctx := t.Context()
	waitForVhost(t, ctx, url)
	got, err := mq.CountQueue(ctx, url, mq.DurableQueue)
	if err != nil {
		t.Fatal(err)
	}
	if got != n {
		t.Errorf("durable queue holds %d messages after the restart, want all %d", got, n)
	}
	_, err = mq.CountQueue(ctx, url, mq.TransientQueue)
	if !errors.Is(err, mq.ErrQueueGone) {
		t.Errorf("transient queue after the restart: err = %v, want ErrQueueGone", err)
	}

	// And they are the very messages published, in order.
	bodies := collect(t, ctx, url, mq.DurableQueue, mq.WorkerOptions{Name: "after-restart"}, n)
	for i, h := range bodies {
		if want := "order " + strconv.Itoa(i+1); h.Body != want {
			t.Fatalf("message %d after the restart is %q, want %q", i, h.Body, want)
		}
	}
}

// waitForVhost waits until the restarted broker serves our vhost: it
// accepts connections to "/" a little before every vhost is back.
func waitForVhost(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	for {
		conn, err := mq.Dial(ctx, url, mq.DialOptions{Timeout: 2 * time.Second})
		if err == nil {
			conn.Close()
			return
		}
		select {
		case <-ctx.Done():
			t.Fatalf("vhost not back after the restart: %v", err)
		case <-time.After(250 * time.Millisecond):
		}
	}
}
