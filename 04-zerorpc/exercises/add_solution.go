//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// Add asks the zerorpc server behind c for x + y.
func Add(ctx context.Context, c *zerorpc.Client, x, y int) (int, error) {
	var sum int
	err := c.CallInto(ctx, &sum, "add", x, y)
	return sum, err
}
