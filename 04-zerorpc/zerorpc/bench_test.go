// Benchmarks: add(2, 3) over loopback, one caller at a time and many
// at once over the one connection (closed loop: each caller waits for
// its answer before the next call), plus the event codec alone.

package zerorpc_test

import (
	"context"
	"io"
	"log"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func benchClient(b *testing.B) *zerorpc.Client {
	b.Helper()
	silent := log.New(io.Discard, "", 0)
	s, err := calc.NewServer()
	if err != nil {
		b.Fatal(err)
	}
	s.ErrorLog = silent
	d := zerorpc.Dialer{ErrorLog: silent}
	c, err := d.Dial(serve(b, s).Endpoint())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { c.Close() })
	return c
}

func BenchmarkAdd(b *testing.B) {
	ctx := context.Background()
	b.Run("sequential", func(b *testing.B) {
		c := benchClient(b)
		b.ReportAllocs()
		for b.Loop() {
			var sum int
			if err := c.CallInto(ctx, &sum, "add", 2, 3); err != nil || sum != 5 {
				b.Fatalf("add = %d, %v", sum, err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		c := benchClient(b)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				var sum int
				if err := c.CallInto(ctx, &sum, "add", 2, 3); err != nil || sum != 5 {
					b.Errorf("add = %d, %v", sum, err)
					return
				}
			}
		})
	})
}

func BenchmarkEventCodec(b *testing.B) {
	ev := &zerorpc.Event{
		Header: zerorpc.Header{MessageID: zerorpc.MessageID{Value: "00000001aaaaaaaaaaaaaaaaaaaaaaaa"}},
		Name:   "add",
		Args:   []any{2, 3},
	}
	b.Run("marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := zerorpc.MarshalEvent(ev); err != nil {
				b.Fatal(err)
			}
		}
	})
	payload, _ := zerorpc.MarshalEvent(ev)
	b.Run("unmarshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := zerorpc.UnmarshalEvent(payload); err != nil {
				b.Fatal(err)
			}
		}
	})
}
