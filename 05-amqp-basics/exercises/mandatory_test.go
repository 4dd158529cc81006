//go:build exercises

package exercises_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func TestPublishOrReturnTellsAnUnroutableMessage(t *testing.T) {
	_, conn := dialVhost(t)
	ch := channel(t, conn)
	if err := mq.DeclareExchange(ch, "direct_logs", "direct", []mq.Binding{{Queue: "info", Key: "info"}}); err != nil {
		t.Fatal(err)
	}

	returned, err := exercises.PublishOrReturn(t.Context(), conn, "direct_logs", "info", []byte("routed"))
	if err != nil {
		t.Fatalf("PublishOrReturn(key info) returned the error %q.\nLook at mandatory.go.", err)
	}
	if returned {
		t.Errorf("PublishOrReturn(key info) = returned; queue info is bound with key info, so it was routed")
	}
	if got := drain(t, ch, "info"); got != "routed" {
		t.Errorf("queue info holds [%s]; want [routed]", got)
	}

	returned, err = exercises.PublishOrReturn(t.Context(), conn, "direct_logs", "debug", []byte("lost"))
	if err != nil {
		t.Fatalf("PublishOrReturn(key debug) returned the error %q", err)
	}
	if !returned {
		t.Errorf("PublishOrReturn(key debug) = not returned; no queue is bound with key debug, so the broker " +
			"must have returned it. Publish with mandatory true, and look at NotifyReturn after the confirmation.")
	}
}
