package mq_test

import (
	"os"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One RabbitMQ for the package: from AMQP_URL, or a container
// testcontainers starts (see internal/broker).
func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// vhost gives a test its own vhost on the package's broker.
func vhost(t *testing.T) string {
	t.Helper()
	return broker.Get(t).NewVhost(t)
}

// dial connects or fails the test; the connection closes at cleanup.
func dial(t *testing.T, url string) *amqp.Connection {
	t.Helper()
	conn, err := mq.Dial(t.Context(), url, mq.DialOptions{Name: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}
