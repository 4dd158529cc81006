//go:build exercises

package exercises_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// serve starts the lesson's server in style on a free loopback port and
// returns its address; it is shut down when the test ends.
func serve(t *testing.T, style restrpc.Style) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &restrpc.Server{Style: style}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
		if err := <-done; err != nil && !errors.Is(err, restrpc.ErrServerClosed) {
			t.Errorf("server: %v", err)
		}
	})
	return ln.Addr().String()
}

// serveHTTP serves h on a free loopback port until the test ends.
func serveHTTP(t *testing.T, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ln.Addr().String()
}
