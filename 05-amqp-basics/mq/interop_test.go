package mq_test

import (
	"context"
	"strings"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// The article's pika producer publishes "Hello World!" to queue "name";
// our consumer receives it. Both declare "name" the article's way
// (not durable), so neither trips over the other's declaration.
func TestPikaProducerToGoConsumer(t *testing.T) {
	pypeer.Require(t, "pika")
	url := vhost(t)
	ctx := t.Context()

	out := pypeer.Run(t, ctx, "testdata/pika_producer.py", url, "name", "Hello World!")
	if !strings.Contains(out, "SENT Hello World!") {
		t.Fatalf("pika producer printed %q", out)
	}

	conn := dial(t, url)
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mq.DeclareQueue(ch, "name", false); err != nil {
		t.Fatal(err)
	}
	ch.Close()

	var got amqp.Delivery
	cctx, stop := context.WithCancel(ctx)
	err = mq.Consume(cctx, conn, mq.ConsumeOptions{Queue: "name"},
		func(_ context.Context, d amqp.Delivery) error {
			got = d
			stop()
			return nil
		})
	if err != nil {
		t.Fatal(err)
	}
	if string(got.Body) != "Hello World!" {
		t.Fatalf("Go consumer got %q, want %q", got.Body, "Hello World!")
	}
}

// Our producer publishes to "name"; the article's pika consumer gets
// every message, in order.
func TestGoProducerToPikaConsumer(t *testing.T) {
	pypeer.Require(t, "pika")
	url := vhost(t)
	ctx := t.Context()

	conn := dial(t, url)
	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if _, err := mq.DeclareQueue(pub.Channel(), "name", false); err != nil {
		t.Fatal(err)
	}
	bodies := []string{"Hello World!", "你好，世界", "third"}
	for _, b := range bodies {
		if err := pub.Publish(ctx, mq.Message{Key: "name", Body: []byte(b)}); err != nil {
			t.Fatal(err)
		}
	}

	out := pypeer.Run(t, ctx, "testdata/pika_consumer.py", url, "name", "3")
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		got = append(got, strings.TrimPrefix(line, "RECEIVED "))
	}
	if strings.Join(got, "|") != strings.Join(bodies, "|") {
		t.Fatalf("pika consumer printed %q, want %q", got, bodies)
	}
}
