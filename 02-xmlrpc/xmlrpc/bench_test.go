package xmlrpc_test

import (
	"bytes"
	"context"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// BenchmarkAdd measures one add(2, 3) round trip over loopback HTTP,
// closed-loop (each caller waits for its answer before the next call):
// one caller at a time ("sequential"), and GOMAXPROCS callers at once
// ("parallel"), against both server modes. The single-threaded mode
// also pays a new TCP connection per call, as Python's HTTP/1.0
// server does.
//
//	go test -bench Add -benchtime 2s ./02-xmlrpc
func BenchmarkAdd(b *testing.B) {
	for _, mode := range []xmlrpc.Mode{xmlrpc.SingleThreaded, xmlrpc.Concurrent} {
		_, c := start(b, inMode(mode))
		b.Run("sequential/"+mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			ctx := context.Background()
			for b.Loop() {
				if n, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3); err != nil || n != 5 {
					b.Fatalf("add(2, 3) = %d, %v", n, err)
				}
			}
		})
		b.Run("parallel/"+mode.String(), func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				ctx := context.Background()
				for pb.Next() {
					if n, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3); err != nil || n != 5 {
						b.Errorf("add(2, 3) = %d, %v", n, err)
						return
					}
				}
			})
		})
	}
}

// The codec alone, without the network: what encoding/xml costs.
func BenchmarkCodec(b *testing.B) {
	b.Run("encode-call", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := xmlrpc.EncodeCall("add", 2, 3); err != nil {
				b.Fatal(err)
			}
		}
	})
	doc, _ := xmlrpc.EncodeCall("add", 2, 3)
	b.Run("decode-call", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := xmlrpc.DecodeCall(bytes.NewReader(doc)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
