// Benchmark: notifications per second from a notifier to a listener,
// end to end (published, routed, delivered, endpoint called, acked),
// each side on its own connection. Closed loop per run: the clock
// stops when the listener has seen all b.N notifications.

package notify

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// counter is an endpoint that counts INFO calls and closes done
// at target.
type counter struct {
	n      atomic.Int64
	target int64
	done   chan struct{}
}

func (c *counter) Info(context.Context, string, string, any, Metadata) error {
	if c.n.Add(1) == c.target {
		close(c.done)
	}
	return nil
}

func BenchmarkNotifierToListener(b *testing.B) {
	for _, driver := range []Driver{DriverMessagingV2, DriverMessaging} {
		b.Run(string(driver), func(b *testing.B) {
			conn, u := dial(b)
			c := &counter{target: int64(b.N), done: make(chan struct{})}
			startListener(b, dialURL(b, u), ListenerConfig{Endpoints: []any{c}})
			n := newNotifier(b, conn, NotifierConfig{PublisherID: "compute.bench", Driver: driver})
			ctx := WithRequestContext(b.Context(), RequestContext{
				{Key: "user_id", Value: "u1"}, {Key: "request_id", Value: "req-bench"},
			})
			payload := map[string]any{"instance_id": "i-1", "state": "active", "memory_mb": 2048}

			b.ReportAllocs()
			b.ResetTimer()
			start := time.Now()
			for range b.N {
				if err := n.Info(ctx, "compute.instance.update", payload); err != nil {
					b.Fatal(err)
				}
			}
			select {
			case <-c.done:
			case <-time.After(2 * time.Minute):
				b.Fatalf("listener saw %d of %d", c.n.Load(), b.N)
			}
			b.StopTimer()
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "notifications/s")
		})
	}
}

func BenchmarkEncodeV2(b *testing.B) {
	m := Message{MessageID: newMessageID(), PublisherID: "compute.host1",
		EventType: "compute.instance.update", Priority: PriorityInfo,
		Payload:   []byte(`{"instance_id": "i-1", "state": "active", "memory_mb": 2048}`),
		Timestamp: FormatTimestamp(time.Now()), UniqueID: newUniqueID(),
		Context: RequestContext{{Key: "user_id", Value: "u1"}}}
	b.ReportAllocs()
	for range b.N {
		if _, err := m.Encode(DriverMessagingV2); err != nil {
			b.Fatal(err)
		}
	}
}
