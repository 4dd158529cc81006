//go:build exercises

package exercises_test

import (
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestProduceReachesTheArticlesPikaConsumer(t *testing.T) {
	pypeer.Require(t, "pika")
	url, conn := dialVhost(t)
	if err := exercises.Produce(t.Context(), conn, "name", "Hello World!"); err != nil {
		t.Fatalf("Produce(name, Hello World!) returned the error %q.\n"+
			"Look at produce.go: channel, QueueDeclare, PublishWithContext to exchange \"\" with key \"name\".", err)
	}
	if n := ready(t, conn, "name"); n != 1 {
		t.Fatalf("queue name holds %d messages after Produce; want 1 (publish to exchange \"\", key \"name\")", n)
	}
	out := pypeer.Run(t, t.Context(), "../mq/testdata/pika_consumer.py", url, "name", "1")
	if !strings.Contains(out, "RECEIVED Hello World!\n") {
		t.Errorf("the article's pika consumer printed %q; want %q", out, "RECEIVED Hello World!")
	}
}
