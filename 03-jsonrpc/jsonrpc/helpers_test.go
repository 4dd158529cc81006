package jsonrpc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

// startServer serves srv on a free loopback port for one test, the way
// every program of the course starts a server: listen, then Serve in a
// goroutine, then Shutdown. It returns the base URL.
func startServer(t testing.TB, srv *HTTPServer) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		// The test's own context has ended by now: Shutdown gets a
		// fresh one. net/http counts a connection that was opened but
		// has sent nothing yet as busy for its first 5 s (a hostile test's
		// client may leave one behind), so the bound is well past that:
		// it only stops a hang.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("serve: %v", err)
		}
	})
	return "http://" + ln.Addr().String()
}

// calcMux is the lesson's two styles on one port, as the server main
// mounts them.
func calcMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/{$}", NewFunctionServer())
	mux.Handle("/jsonrpc", NewHandlerServer())
	return mux
}

// calculator adapts a Client to the course's one calculator
// specification.
type calculator struct{ c *Client }

func (k calculator) call(ctx context.Context, m string, x, y int) (int, error) {
	var r int
	err := k.c.Call(ctx, m, []int{x, y}, &r)
	return r, err
}
func (k calculator) Add(ctx context.Context, x, y int) (int, error) {
	return k.call(ctx, "add", x, y)
}
func (k calculator) Subtract(ctx context.Context, x, y int) (int, error) {
	return k.call(ctx, "subtract", x, y)
}
func (k calculator) Multiply(ctx context.Context, x, y int) (int, error) {
	return k.call(ctx, "multiply", x, y)
}
func (k calculator) Divide(ctx context.Context, x, y int) (int, error) {
	return k.call(ctx, "divide", x, y)
}
