// The client side of the calculator: four methods that each make one
// call, the shape the course's calculator specification and benchmark
// expect from every lesson.

package endpoints

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// CalculatorClient calls a [CalculatorEndpoint] through an RPC client
// (aimed at the calculator's topic).
type CalculatorClient struct {
	RPC *oslo.RPCClient
}

func (c CalculatorClient) call(ctx context.Context, method string, x, y int) (int, error) {
	var r int
	err := c.RPC.Call(ctx, method, oslo.Args{"x": x, "y": y}, &r)
	return r, err
}

func (c CalculatorClient) Add(ctx context.Context, x, y int) (int, error) {
	return c.call(ctx, "add", x, y)
}

func (c CalculatorClient) Subtract(ctx context.Context, x, y int) (int, error) {
	return c.call(ctx, "subtract", x, y)
}

func (c CalculatorClient) Multiply(ctx context.Context, x, y int) (int, error) {
	return c.call(ctx, "multiply", x, y)
}

func (c CalculatorClient) Divide(ctx context.Context, x, y int) (int, error) {
	return c.call(ctx, "divide", x, y)
}
