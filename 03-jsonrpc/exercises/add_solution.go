//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// Add asks the JSON-RPC server behind c for x + y.
func Add(ctx context.Context, c *jsonrpc.Client, x, y int) (int, error) {
	var sum int
	err := c.Call(ctx, "add", []int{x, y}, &sum)
	return sum, err
}
