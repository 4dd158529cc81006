package oslo_test

import (
	"context"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// counter counts the casts it serves.
type counter struct{ n atomic.Int64 }

func (c *counter) Test(ctx context.Context, a anyArg) (any, error) {
	c.n.Add(1)
	return a.Arg, nil
}

// benchSetup starts one server (a pool of 8) and a client on a fresh
// vhost. Closed loop: each benchmark goroutine waits for its answer
// before the next call.
func benchSetup(b *testing.B) (*oslo.RPCClient, *counter) {
	b.Helper()
	url := strings.Replace(broker.Get(b).NewVhost(b), "amqp://", "rabbit://", 1)
	quiet := oslo.TransportOptions{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	st, err := oslo.NewTransport(url, quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	cnt := &counter{}
	srv, err := oslo.NewRPCServer(st, oslo.Target{Topic: "bench", Server: "s1"}, []any{cnt},
		oslo.ServerOptions{Executor: oslo.NewPoolExecutor(8)})
	if err != nil {
		b.Fatal(err)
	}
	if err := srv.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { srv.Stop(); srv.Wait() })
	ct, err := oslo.NewTransport(url, quiet)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ct.Close() })
	c := oslo.NewRPCClient(ct, oslo.Target{Topic: "bench"}, oslo.ClientOptions{Timeout: 30 * time.Second})
	b.Cleanup(func() { c.Close() })
	// Warm up: reply queue declared, exchanges known.
	if err := c.Call(b.Context(), "test", oslo.Args{"arg": "warm"}, nil); err != nil {
		b.Fatal(err)
	}
	return c, cnt
}

// One call at a time: the round trip client → broker → server → broker
// → client.
func BenchmarkCallSequential(b *testing.B) {
	c, _ := benchSetup(b)
	ctx := b.Context()
	args := oslo.Args{"arg": "hello"}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		var r string
		if err := c.Call(ctx, "test", args, &r); err != nil {
			b.Fatal(err)
		}
	}
}

// Many calls in flight on one client and its one reply queue
// (GOMAXPROCS×8 goroutines, each closed-loop).
func BenchmarkCallParallel(b *testing.B) {
	c, _ := benchSetup(b)
	ctx := b.Context()
	b.SetParallelism(8)
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		args := oslo.Args{"arg": "hello"}
		for pb.Next() {
			var r string
			if err := c.Call(ctx, "test", args, &r); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// Casts, timed until the server has run them all: ns/op is what one
// cast costs end to end, casts/s the rate the server keeps up with.
func BenchmarkCast(b *testing.B) {
	c, cnt := benchSetup(b)
	ctx := b.Context()
	args := oslo.Args{"arg": "hello"}
	before := cnt.n.Load()
	b.ReportAllocs()
	b.ResetTimer()
	start := time.Now()
	for i := 0; i < b.N; i++ {
		if err := c.Cast(ctx, "test", args); err != nil {
			b.Fatal(err)
		}
	}
	deadline := time.Now().Add(time.Minute)
	for cnt.n.Load()-before < int64(b.N) {
		if time.Now().After(deadline) {
			b.Fatalf("served %d of %d casts", cnt.n.Load()-before, b.N)
		}
		time.Sleep(time.Millisecond)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "casts/s")
}
