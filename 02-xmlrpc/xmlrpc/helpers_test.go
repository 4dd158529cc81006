package xmlrpc_test

import (
	"context"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// `start` runs a calculator server (plus `echo` and whatever `setup`
// adds) on a free port for the length of the test.
func start(t testing.TB, cfg xmlrpc.ServeConfig, setup ...func(*xmlrpc.Server)) (*xmlrpc.Running, *xmlrpc.Client) {
	t.Helper()
	srv := xmlrpc.NewCalculatorServer()
	if err := srv.RegisterFunction("echo", func(v any) any { return v }); err != nil {
		t.Fatal(err)
	}
	for _, f := range setup {
		f(srv)
	}
	r, err := xmlrpc.Start("127.0.0.1:0", srv, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := r.Close(); err != nil {
			t.Errorf("close server: %v", err)
		}
	})
	return r, newClient(t, r.URL())
}

func newClient(t testing.TB, url string) *xmlrpc.Client {
	t.Helper()
	c, err := xmlrpc.NewClient(url, xmlrpc.WithTimeout(20*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func ctx(t testing.TB) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

// `calc` adapts the client to the course's calculator specification.
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
