package mq_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// Every message published in confirm mode gets its ack, and then the
// queue holds every one of them.
func TestEveryPublishIsConfirmed(t *testing.T) {
	url := vhost(t)
	ctx := t.Context()
	conn := dial(t, url)
	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	if _, err := mq.DeclareQueue(pub.Channel(), "confirmed", true); err != nil {
		t.Fatal(err)
	}

	const n = 100
	var pending []*amqp.DeferredConfirmation
	for i := 0; i < n; i++ {
		dc, err := pub.PublishDeferred(ctx, mq.Message{Key: "confirmed", Body: []byte("x"), Persistent: true})
		if err != nil {
			t.Fatal(err)
		}
		if dc == nil {
			t.Fatal("no deferred confirmation in confirm mode")
		}
		pending = append(pending, dc)
	}
	for _, dc := range pending {
		if err := pub.Wait(ctx, dc); err != nil {
			t.Fatal(err)
		}
		if !dc.Acked() {
			t.Fatalf("message %d not acked", dc.DeliveryTag)
		}
	}
	if got, err := mq.CountQueue(ctx, url, "confirmed"); err != nil || got != n {
		t.Fatalf("queue holds %d (err %v), want %d", got, err, n)
	}
}

// A publish the broker refuses (no such exchange) closes the channel;
// the waiting publisher learns why instead of waiting forever, and
// the publisher reports the channel as unusable afterwards.
func TestRefusedPublishReportsTheBrokersReason(t *testing.T) {
	conn := dial(t, vhost(t))
	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	ctx := t.Context()
	err = pub.Publish(ctx, mq.Message{Exchange: "no-such-exchange", Key: "k", Body: []byte("x")})
	var ae *amqp.Error
	if !errors.As(err, &ae) && !strings.Contains(fmtErr(err), "NOT_FOUND") {
		t.Fatalf("Publish = %v, want the broker's NOT_FOUND", err)
	}
	if !strings.Contains(fmtErr(err), "no-such-exchange") {
		t.Errorf("Publish = %v, want the exchange named", err)
	}
	err = pub.Publish(ctx, mq.Message{Key: "k", Body: []byte("x")})
	if !errors.Is(err, mq.ErrChannelClosed) {
		t.Errorf("publish after the channel closed = %v, want ErrChannelClosed", err)
	}
}

// A publish whose context is already over is not sent.
func TestPublishHonoursItsContext(t *testing.T) {
	conn := dial(t, vhost(t))
	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		t.Fatal(err)
	}
	defer pub.Close()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if err := pub.Publish(ctx, mq.Message{Key: "k", Body: []byte("x")}); !errors.Is(err, context.Canceled) {
		t.Fatalf("Publish = %v, want context.Canceled", err)
	}
}

func fmtErr(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
