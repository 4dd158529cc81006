package mq_test

import (
	"context"
	"os"
	"testing"
	"time"

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
	conn, err := mq.Dial(context.Background(), url, mq.DialOptions{Name: t.Name()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// testCtx bounds a test so a lost message fails it instead of hanging.
func testCtx(t *testing.T, d time.Duration) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	t.Cleanup(cancel)
	return ctx
}
