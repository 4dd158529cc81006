//go:build exercises

package exercises_test

import (
	"context"
	"errors"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/exercises"
)

func TestHandleOneLosesNoMessageWhenWorkFails(t *testing.T) {
	_, conn := dialVhost(t)
	setup := channel(t, conn)
	if _, err := setup.QueueDeclare("tasks", false, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := setup.PublishWithContext(t.Context(), "", "tasks", false, false, amqp.Publishing{Body: []byte("task 1")}); err != nil {
		t.Fatal(err)
	}
	waitReady(t, conn, "tasks", 1)

	// The first worker crashes in the middle of the work.
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	crash := errors.New("worker crashed")
	worker1, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	var saw string
	err = exercises.HandleOne(ctx, worker1, "tasks", func(body []byte) error {
		saw = string(body)
		return crash
	})
	if saw != "task 1" {
		t.Fatalf("work got %q; want the message's body, %q", saw, "task 1")
	}
	if !errors.Is(err, crash) {
		t.Errorf("HandleOne returned %v; want work's error", err)
	}
	worker1.Close() // the crash: its connection to the broker is gone
	if n := waitReady(t, conn, "tasks", 1); n != 1 {
		t.Fatalf("after the worker failed and its channel closed, queue tasks holds %d messages; want 1.\n"+
			"The message is lost: it was acked (autoAck) before the work was done. "+
			"Look at ackafterwork.go: consume with autoAck false and ack after work succeeds.", n)
	}

	// A second worker does the work; the message is gone only now.
	worker2 := channel(t, conn)
	saw = ""
	if err := exercises.HandleOne(ctx, worker2, "tasks", func(body []byte) error {
		saw = string(body)
		return nil
	}); err != nil {
		t.Fatalf("HandleOne with work that succeeds returned %v", err)
	}
	if saw != "task 1" {
		t.Fatalf("the second worker got %q; want the same message, %q", saw, "task 1")
	}
	worker2.Close()
	if n := waitReady(t, conn, "tasks", 0); n != 0 {
		t.Fatalf("after work succeeded and the channel closed, queue tasks holds %d messages; want 0.\n"+
			"The message came back: it was never acked. Call d.Ack(false) after work returns nil.", n)
	}
}
