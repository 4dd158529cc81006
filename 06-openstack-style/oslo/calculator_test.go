package oslo_test

import (
	"context"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// `calculator` adapts an RPC client to the course's calculator
// specification: each method is one call with keyword arguments x and y.
type calculator struct{ c *oslo.RPCClient }

func (k calculator) do(ctx context.Context, method string, x, y int) (int, error) {
	var r int
	err := k.c.Call(ctx, method, oslo.Args{"x": x, "y": y}, &r)
	return r, err
}

func (k calculator) Add(ctx context.Context, x, y int) (int, error) { return k.do(ctx, "add", x, y) }
func (k calculator) Subtract(ctx context.Context, x, y int) (int, error) {
	return k.do(ctx, "subtract", x, y)
}
func (k calculator) Multiply(ctx context.Context, x, y int) (int, error) {
	return k.do(ctx, "multiply", x, y)
}
func (k calculator) Divide(ctx context.Context, x, y int) (int, error) {
	return k.do(ctx, "divide", x, y)
}

// The Go client against the Go server passes the course's calculator spec.
func TestCalculatorSpec(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{endpoints.CalculatorEndpoint{}}, oslo.ServerOptions{})
	calctest.Run(t, calculator{e.client(oslo.ClientOptions{Timeout: 10 * time.Second})})
}
