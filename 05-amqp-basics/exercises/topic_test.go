//go:build exercises

package exercises_test

import (
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func TestLogBindingsRouteEachKeyToTheRightQueues(t *testing.T) {
	_, conn := dialVhost(t)
	ch := channel(t, conn)
	// Both queues exist whatever the bindings, so an empty one reads as
	// empty rather than missing.
	for _, q := range []string{"errors", "kernel"} {
		if _, err := mq.DeclareQueue(ch, q, false); err != nil {
			t.Fatal(err)
		}
	}
	bindings := exercises.LogBindings()
	if err := mq.DeclareExchange(ch, "logs", "topic", bindings); err != nil {
		t.Fatalf("declare exchange logs with %+v: %v", bindings, err)
	}
	if err := ch.Confirm(false); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"kern.error", "kern.info", "app.error", "app.db.error", "kern.disk.warning"} {
		dc, err := ch.PublishWithDeferredConfirmWithContext(t.Context(), "logs", key, false, false,
			amqp.Publishing{Body: []byte(key)})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := dc.WaitContext(t.Context()); err != nil {
			t.Fatal(err)
		}
	}
	want := map[string]string{
		"errors": "kern.error app.error app.db.error",
		"kernel": "kern.error kern.info",
	}
	for _, q := range []string{"errors", "kernel"} {
		if got := drain(t, ch, q); got != want[q] {
			t.Errorf("queue %s got [%s]; want [%s].\nYour bindings: %+v. Look at topic.go: * is one word, # is zero or more.",
				q, got, want[q], bindings)
		}
	}
}
