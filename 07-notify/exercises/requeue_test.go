//go:build exercises

package exercises_test

import (
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

func TestRetryOnceGetsTheNotificationBack(t *testing.T) {
	conn, _ := dial(t)
	retry := &exercises.RetryOnce{}
	all := everything{seen: make(chan [2]string, 100)}
	cfg := exercises.ListenerConfig(retry, all)
	l := listen(t, conn, cfg)

	if err := notifier(t, conn).Error(t.Context(), "compute.instance.reboot.error", map[string]any{"instance_id": "i-1"}); err != nil {
		t.Fatal(err)
	}
	// The endpoint after retry sees the notification once retry let it
	// through: after the requeue, or at once if there was none.
	var id string
	select {
	case e := <-all.seen:
		id = e[1]
	case <-time.After(15 * time.Second):
		if !cfg.AllowRequeue {
			t.Fatalf("RetryOnce asked for a requeue, but the listener does not allow it: the notification " +
				"was acked and lost. Set the field of notify.ListenerConfig that allows it, in ListenerConfig (requeue.go).")
		}
		t.Fatalf("after 15 s the notification has not got past RetryOnce: does its second try return nil?")
	}
	switch tries := retry.Tries(id); {
	case tries == 1:
		t.Fatalf("RetryOnce.Error was called once and the notification was done with.\n" +
			"Return notify.ErrRequeue on the first try (requeue.go), and let the listener requeue.")
	case tries != 2:
		t.Fatalf("RetryOnce.Error was called %d times; want 2: the first asks for a requeue, the second succeeds", tries)
	}
	// And nothing is left behind in the queue.
	for _, q := range l.Queues() {
		if state, ok, err := notify.InspectQueue(conn, q); err == nil && ok && state.Messages > 0 {
			t.Errorf("queue %s holds %d notifications after the retry; want 0", q, state.Messages)
		}
	}
}
