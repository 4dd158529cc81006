package jsonrpc

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// `startServer` serves h on a random loopback port for one test.
func startServer(t testing.TB, h http.Handler, to Timeouts) *HTTPServer {
	t.Helper()
	s, err := Listen("127.0.0.1:0", h, to)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return s
}

// `calcMux` is the lesson's two styles on one port, as the server main
// mounts them.
func calcMux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.Handle("/{$}", NewFunctionServer())
	mux.Handle("/jsonrpc", NewHandlerServer())
	return mux
}

func testContext(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return ctx
}

// `calculator` adapts a Client to the course's one calculator
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
