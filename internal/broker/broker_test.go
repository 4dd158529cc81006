package broker

import (
	"context"
	"os"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

func TestMain(m *testing.M) { os.Exit(Main(m)) }

// The chain end to end: get a broker, a vhost of one's own, declare a
// queue, publish a message and consume it back.
func TestPublishAndConsumeInFreshVhost(t *testing.T) {
	b := Get(t)
	url := b.NewVhost(t)
	t.Logf("RabbitMQ %s, vhost URL %s", b.Version(), url)

	conn, err := amqp.Dial(url)
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatalf("channel: %v", err)
	}
	q, err := ch.QueueDeclare("harness", false, false, false, false, nil)
	if err != nil {
		t.Fatalf("declare queue: %v", err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
	defer cancel()
	err = ch.PublishWithContext(ctx, "", q.Name, false, false, amqp.Publishing{Body: []byte("Hello World!")})
	if err != nil {
		t.Fatalf("publish: %v", err)
	}
	msgs, err := ch.Consume(q.Name, "", true, false, false, false, nil)
	if err != nil {
		t.Fatalf("consume: %v", err)
	}
	select {
	case m := <-msgs:
		if string(m.Body) != "Hello World!" {
			t.Fatalf("got %q", m.Body)
		}
	case <-ctx.Done():
		t.Fatal("no message within 10 s")
	}
}

// Two vhosts do not share queues: a message in one is not in the other.
func TestVhostsAreIsolated(t *testing.T) {
	b := Get(t)
	if !b.Managed() {
		t.Skip("isolation needs vhosts the tests create")
	}
	a, c := b.NewVhost(t), b.NewVhost(t)
	if a == c {
		t.Fatalf("two calls gave the same vhost %s", a)
	}
	publish := func(url string) {
		conn, err := amqp.Dial(url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		ch, _ := conn.Channel()
		if _, err := ch.QueueDeclare("same-name", false, false, false, false, nil); err != nil {
			t.Fatal(err)
		}
		if err := ch.PublishWithContext(t.Context(), "", "same-name", false, false, amqp.Publishing{Body: []byte("x")}); err != nil {
			t.Fatal(err)
		}
	}
	publish(a)
	conn, err := amqp.Dial(c)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, _ := conn.Channel()
	q, err := ch.QueueDeclare("same-name", false, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if q.Messages != 0 {
		t.Fatalf("vhost %s sees %d messages published in %s", c, q.Messages, a)
	}
}

// A restarted broker comes back at the same address, with its durable
// queues and persistent messages.
func TestRestartKeepsAddressAndDurableMessages(t *testing.T) {
	b := Get(t)
	url := b.NewVhost(t)
	conn, err := amqp.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := conn.Channel()
	if _, err := ch.QueueDeclare("durable", true, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	if err := ch.Confirm(false); err != nil {
		t.Fatal(err)
	}
	dc, err := ch.PublishWithDeferredConfirmWithContext(t.Context(), "", "durable", false, false,
		amqp.Publishing{DeliveryMode: amqp.Persistent, Body: []byte("kept")})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := dc.WaitContext(t.Context()); !ok || err != nil {
		t.Fatalf("confirm: %v %v", ok, err)
	}
	conn.Close()

	b.Restart(t)

	conn, err = amqp.Dial(url)
	if err != nil {
		t.Fatalf("dial after restart: %v", err)
	}
	defer conn.Close()
	ch, _ = conn.Channel()
	m, ok, err := ch.Get("durable", true)
	if err != nil || !ok || string(m.Body) != "kept" {
		t.Fatalf("after restart: ok=%v err=%v body=%q", ok, err, m.Body)
	}
}
