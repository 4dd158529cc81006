//go:build exercises

package exercises_test

import (
	"os"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One RabbitMQ for the package: from AMQP_URL, or a container
// testcontainers starts (see internal/broker).
func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// dialVhost gives a test a vhost of its own and a connection to it,
// closed at cleanup.
func dialVhost(t *testing.T) (string, *amqp.Connection) {
	t.Helper()
	url := broker.Get(t).NewVhost(t)
	conn, err := mq.Dial(t.Context(), url, mq.DialOptions{Name: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return url, conn
}

// channel opens a channel on conn, closed at cleanup.
func channel(t *testing.T, conn *amqp.Connection) *amqp.Channel {
	t.Helper()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ch.Close() })
	return ch
}

// ready is how many messages wait in queue, for a consumer to take.
func ready(t *testing.T, conn *amqp.Connection, queue string) int {
	t.Helper()
	ch := channel(t, conn)
	q, err := ch.QueueDeclarePassive(queue, false, false, false, false, nil)
	if err != nil {
		t.Fatalf("inspect queue %q: %v", queue, err)
	}
	return q.Messages
}

// waitReady polls queue until it holds want messages or 5 s pass, and
// returns the last count: the broker requeues a closed channel's
// unacked messages soon after, not at once.
func waitReady(t *testing.T, conn *amqp.Connection, queue string, want int) int {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := ready(t, conn, queue)
		if n == want || time.Now().After(deadline) {
			return n
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drain takes every message waiting in queue and returns their bodies.
func drain(t *testing.T, ch *amqp.Channel, queue string) string {
	t.Helper()
	var got []string
	for {
		d, ok, err := ch.Get(queue, true)
		if err != nil {
			t.Fatalf("get from %q: %v", queue, err)
		}
		if !ok {
			return strings.Join(got, " ")
		}
		got = append(got, string(d.Body))
	}
}
