// An RPC client hides the network behind a method call: one
// connection, many calls multiplexed on it by sequence number. The
// price is coupling: the client must know the service name, the
// method names and the argument types the server uses.

package restrpc

import (
	"context"
	"fmt"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
)

// RPCClient calls [CalculatorService] over net/rpc, with gob or
// JSON-RPC. It is safe for concurrent use: calls share the connection.
type RPCClient struct {
	rpc *rpc.Client
}

// NewRPCClient runs a client over an open connection, speaking gob
// ([GobRPC]) or JSON-RPC 1.0 ([JSONRPC]).
func NewRPCClient(conn net.Conn, style Style) (*RPCClient, error) {
	switch style {
	case GobRPC:
		return &RPCClient{rpc: rpc.NewClient(conn)}, nil
	case JSONRPC:
		return &RPCClient{rpc: jsonrpc.NewClient(conn)}, nil
	default:
		return nil, fmt.Errorf("net/rpc has no codec for style %q", style)
	}
}

// Call invokes method ("Add", "Divide", …) of the Calculator
// service. A server-side error comes back as an [rpc.ServerError]
// (wrapped; use [errors.As]). If ctx ends first, Call returns its
// error; the reply, should it come later, is dropped by net/rpc.
func (c *RPCClient) Call(ctx context.Context, method string, x, y int) (int, error) {
	var reply int
	name := ServiceName + "." + method
	// Go starts the call without waiting; the Done channel tells
	// us when its reply arrived, so we can wait for the context too.
	call := c.rpc.Go(name, Args{X: x, Y: y}, &reply, make(chan *rpc.Call, 1))
	select {
	case <-call.Done:
		if call.Error != nil {
			return 0, fmt.Errorf("call %s: %w", name, call.Error)
		}
		return reply, nil
	case <-ctx.Done():
		return 0, fmt.Errorf("call %s: %w", name, ctx.Err())
	}
}

// Add calls Calculator.Add. It and its three siblings read like local
// methods: this is what the article means by "calling a remote method
// like a local one".
func (c *RPCClient) Add(ctx context.Context, x, y int) (int, error) {
	return c.Call(ctx, "Add", x, y)
}

// Subtract calls Calculator.Subtract.
func (c *RPCClient) Subtract(ctx context.Context, x, y int) (int, error) {
	return c.Call(ctx, "Subtract", x, y)
}

// Multiply calls Calculator.Multiply.
func (c *RPCClient) Multiply(ctx context.Context, x, y int) (int, error) {
	return c.Call(ctx, "Multiply", x, y)
}

// Divide calls Calculator.Divide.
func (c *RPCClient) Divide(ctx context.Context, x, y int) (int, error) {
	return c.Call(ctx, "Divide", x, y)
}

// Close closes the connection; calls still waiting fail with
// [rpc.ErrShutdown].
func (c *RPCClient) Close() error {
	return c.rpc.Close()
}
