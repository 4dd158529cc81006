package restrpc

import (
	"testing"
)

// BenchmarkAdd makes the same add(2, 3) call over each wire, on
// loopback TCP, one call after another (sequential: latency) and
// from GOMAXPROCS goroutines sharing one client (parallel:
// throughput). It is closed-loop: each caller waits for its answer
// before asking again. Run it with
//
//	go test ./01-rest-vs-rpc/restrpc -run '^$' -bench Add -benchtime 2s
func BenchmarkAdd(b *testing.B) {
	for _, mode := range []string{"sequential", "parallel"} {
		for _, style := range Styles {
			b.Run(mode+"/"+string(style), func(b *testing.B) {
				c := startAndDial(b, style)
				ctx := b.Context()
				// One call first, so connection setup (and gob's type
				// descriptions) are not part of the measurement.
				if _, err := c.Add(ctx, 2, 3); err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				if mode == "sequential" {
					for b.Loop() {
						if _, err := c.Add(ctx, 2, 3); err != nil {
							b.Fatal(err)
						}
					}
					return
				}
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						if _, err := c.Add(ctx, 2, 3); err != nil {
							b.Error(err)
							return
						}
					}
				})
			})
		}
	}
}
