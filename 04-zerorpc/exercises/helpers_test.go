//go:build exercises

package exercises_test

import (
	"context"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// serve starts the exercises' caculate server on a free loopback port
// and returns its endpoint; it is shut down when the test ends.
func serve(t *testing.T) string {
	t.Helper()
	srv, err := exercises.NewServer()
	if err != nil {
		t.Fatalf("NewServer: %v", err)
	}
	ln, err := zerorpc.Listen("tcp://127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go srv.Serve(ln)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	})
	return "tcp://" + ln.Addr().String()
}

// dial connects a client to endpoint, closed when the test ends.
func dial(t *testing.T, endpoint string, d zerorpc.Dialer) *zerorpc.Client {
	t.Helper()
	c, err := d.Dial(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
