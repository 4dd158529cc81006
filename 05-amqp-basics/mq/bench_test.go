package mq_test

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One-way throughput, publisher → broker → consumer, of 16-byte
// messages: one publisher connection, one consumer connection (manual
// acks, prefetch 256), a fresh vhost per case. ns/op is per message,
// from the first publish to the last delivery; msgs/s is the same
// number turned around. Closed loop only in the confirm-each case,
// where the publisher waits for every ack before the next publish.
//
//	go test ./05-amqp-basics/mq -run '^$' -bench PublishConsume -benchtime 5000x
func BenchmarkPublishConsume(b *testing.B) {
	cases := []struct {
		name       string
		persistent bool
		confirm    bool
		window     int // confirms outstanding before waiting; 1 = wait for each
	}{
		{"transient/no-confirms", false, false, 0},
		{"transient/confirm-each", false, true, 1},
		{"transient/confirm-window-256", false, true, 256},
		{"persistent/no-confirms", true, false, 0},
		{"persistent/confirm-window-256", true, true, 256},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			benchPublishConsume(b, c.persistent, c.confirm, c.window)
		})
	}
}

func benchPublishConsume(b *testing.B, persistent, confirm bool, window int) {
	url := broker.Get(b).NewVhost(b)
	ctx := b.Context()

	pubConn, err := mq.Dial(ctx, url, mq.DialOptions{Name: "bench publisher"})
	if err != nil {
		b.Fatal(err)
	}
	defer pubConn.Close()
	subConn, err := mq.Dial(ctx, url, mq.DialOptions{Name: "bench consumer"})
	if err != nil {
		b.Fatal(err)
	}
	defer subConn.Close()

	pub, err := mq.NewPublisher(pubConn, confirm)
	if err != nil {
		b.Fatal(err)
	}
	defer pub.Close()
	if _, err := mq.DeclareQueue(pub.Channel(), "bench", persistent); err != nil {
		b.Fatal(err)
	}

	// The consumer counts to b.N, then says so.
	var seen atomic.Int64
	all := make(chan struct{})
	cctx, stop := context.WithCancel(ctx)
	defer stop()
	consumeErr := make(chan error, 1)
	go func() {
		consumeErr <- mq.Consume(cctx, subConn, mq.ConsumeOptions{Queue: "bench", Prefetch: 256},
			func(context.Context, amqp.Delivery) error {
				if seen.Add(1) == int64(b.N) {
					close(all)
				}
				return nil
			})
	}()
	// Wait until the consumer is subscribed.
	for {
		st, err := mq.InspectQueue(ctx, url, "bench")
		if err != nil {
			b.Fatal(err)
		}
		if st.Consumers == 1 {
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	msg := mq.Message{Key: "bench", Body: []byte("0123456789abcdef"), Persistent: persistent}
	pending := make([]*amqp.DeferredConfirmation, 0, window)
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		dc, err := pub.PublishDeferred(ctx, msg)
		if err != nil {
			b.Fatal(err)
		}
		if !confirm {
			continue
		}
		pending = append(pending, dc)
		if len(pending) == window {
			for _, p := range pending {
				if err := pub.Wait(ctx, p); err != nil {
					b.Fatal(err)
				}
			}
			pending = pending[:0]
		}
	}
	for _, p := range pending {
		if err := pub.Wait(ctx, p); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-all:
	case err := <-consumeErr:
		b.Fatalf("consumer ended after %d of %d: %v", seen.Load(), b.N, err)
	case <-ctx.Done():
		b.Fatalf("consumer got %d of %d", seen.Load(), b.N)
	}
	el := time.Since(start)
	b.StopTimer()
	b.ReportMetric(float64(b.N)/el.Seconds(), "msgs/s")
}
