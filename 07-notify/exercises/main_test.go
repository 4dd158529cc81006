//go:build exercises

package exercises_test

import (
	"context"
	"os"
	"strings"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One RabbitMQ for the package: from AMQP_URL, or a container
// testcontainers starts (see internal/broker).
func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// dial gives a test a vhost of its own and a connection to it; it
// returns the connection and the vhost's oslo transport URL.
func dial(t *testing.T) (*amqp.Connection, string) {
	t.Helper()
	url := broker.Get(t).NewVhost(t)
	conn, err := notify.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn, strings.Replace(url, "amqp://", "rabbit://", 1)
}

// notifier returns a notifier for publisher compute.host1.
func notifier(t *testing.T, conn *amqp.Connection) *notify.Notifier {
	t.Helper()
	n, err := notify.NewNotifier(conn, notify.NotifierConfig{PublisherID: "compute.host1"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// listen starts a listener with cfg until the test ends.
func listen(t *testing.T, conn *amqp.Connection, cfg notify.ListenerConfig) *notify.NotificationListener {
	t.Helper()
	l, err := notify.NewNotificationListener(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = l.Stop() })
	return l
}

// everything is an endpoint that records the event type of every
// notification, whatever its priority, with its message id.
type everything struct{ seen chan [2]string }

func (e everything) Info(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	e.seen <- [2]string{eventType, md.MessageID}
	return nil
}

func (e everything) Error(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	e.seen <- [2]string{eventType, md.MessageID}
	return nil
}

func (e everything) Audit(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	return e.Info(ctx, pub, eventType, payload, md)
}

func (e everything) Debug(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	return e.Info(ctx, pub, eventType, payload, md)
}

func (e everything) Warn(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	return e.Info(ctx, pub, eventType, payload, md)
}

func (e everything) Critical(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	return e.Info(ctx, pub, eventType, payload, md)
}

func (e everything) Sample(ctx context.Context, pub, eventType string, payload any, md notify.Metadata) error {
	return e.Info(ctx, pub, eventType, payload, md)
}
