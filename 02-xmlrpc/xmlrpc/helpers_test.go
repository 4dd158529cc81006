package xmlrpc_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// running is a server started by serve.
type running struct{ addr string }

// Addr is the address the server listens on, e.g. "127.0.0.1:43121".
func (r running) Addr() string { return r.addr }

// URL is the server's endpoint, to give to NewClient.
func (r running) URL() string { return "http://" + r.addr + "/RPC2" }

// serve runs srv on a free port the way every program of the course
// does (listen, go Serve, Shutdown at the end) for the length of the
// test, and checks that Serve ends with http.ErrServerClosed.
func serve(t testing.TB, srv *xmlrpc.Server) running {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			_ = srv.Close()
		}
		if err := <-done; !errors.Is(err, http.ErrServerClosed) {
			t.Errorf("Serve returned %v, want http.ErrServerClosed", err)
		}
	})
	return running{ln.Addr().String()}
}

// start serves a calculator server (plus echo, and whatever setup
// adds or configures) on a free port for the length of the test.
func start(t testing.TB, setup ...func(*xmlrpc.Server)) (running, *xmlrpc.Client) {
	t.Helper()
	srv := xmlrpc.NewCalculatorServer()
	if err := srv.RegisterFunction("echo", func(v any) any { return v }); err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(srv)
	}
	r := serve(t, srv)
	return r, newClient(t, r.URL())
}

// inMode is a setup for start that sets the server's Mode.
func inMode(m xmlrpc.Mode) func(*xmlrpc.Server) {
	return func(s *xmlrpc.Server) { s.Mode = m }
}

func newClient(t testing.TB, url string) *xmlrpc.Client {
	t.Helper()
	c, err := xmlrpc.NewClient(url)
	if err != nil {
		t.Fatal(err)
	}
	c.Timeout = 20 * time.Second
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// calc adapts the client to the course's calculator specification.
type calc struct{ c *xmlrpc.Client }

var _ calctest.Calculator = calc{}

func (a calc) Add(ctx context.Context, x, y int) (int, error) {
	return xmlrpc.CallAs[int](ctx, a.c, "add", x, y)
}
func (a calc) Subtract(ctx context.Context, x, y int) (int, error) {
	return xmlrpc.CallAs[int](ctx, a.c, "subtract", x, y)
}
func (a calc) Multiply(ctx context.Context, x, y int) (int, error) {
	return xmlrpc.CallAs[int](ctx, a.c, "multiply", x, y)
}
func (a calc) Divide(ctx context.Context, x, y int) (int, error) {
	return xmlrpc.CallAs[int](ctx, a.c, "divide", x, y)
}
