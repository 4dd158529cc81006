package jsonrpc

import (
	"context"
	"testing"
)

// BenchmarkAdd measures one add(2, 3) round trip over HTTP on
// loopback: sequential is one caller waiting for each answer (a
// closed loop, so ns/op is latency); parallel is GOMAXPROCS callers
// sharing one client (ns/op is then the inverse of throughput).
//
//	go test -run XXX -bench Add -benchtime 2s ./03-jsonrpc/jsonrpc
func BenchmarkAdd(b *testing.B) {
	url := startServer(b, &HTTPServer{Handler: NewFunctionServer()})
	c := NewClient(url, nil)
	ctx := context.Background()
	params := []int{2, 3}
	add := func(b *testing.B) {
		var r int
		if err := c.Call(ctx, "add", params, &r); err != nil || r != 5 {
			b.Fatalf("add(2, 3) = %d, %v", r, err)
		}
	}
	b.Run("sequential", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			add(b)
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for pb.Next() {
				add(b)
			}
		})
	})
}

// BenchmarkHandle is the protocol alone, without HTTP: decode, call,
// encode. The difference from BenchmarkAdd is what HTTP costs.
func BenchmarkHandle(b *testing.B) {
	s := NewFunctionServer()
	body := []byte(`{"jsonrpc":"2.0","method":"add","params":[2,3],"id":1}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if s.Handle(ctx, body) == nil {
			b.Fatal("no answer")
		}
	}
}
