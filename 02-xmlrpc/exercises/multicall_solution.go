//go:build solutions

package exercises

import (
	"context"
	"fmt"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// AddAndMultiply asks the server behind c for x + y and x * y in one
// HTTP request, with system.multicall.
func AddAndMultiply(ctx context.Context, c *xmlrpc.Client, x, y int) (sum, product int, err error) {
	results, err := c.Multicall(ctx,
		xmlrpc.MulticallEntry{Method: "add", Params: []any{x, y}},
		xmlrpc.MulticallEntry{Method: "multiply", Params: []any{x, y}},
	)
	if err != nil {
		return 0, 0, err
	}
	if len(results) != 2 {
		return 0, 0, fmt.Errorf("multicall: %d results for 2 calls", len(results))
	}
	var ints [2]int
	for i, r := range results {
		if r.Fault != nil {
			return 0, 0, r.Fault
		}
		if err := xmlrpc.Unmarshal(r.Value, &ints[i]); err != nil {
			return 0, 0, err
		}
	}
	return ints[0], ints[1], nil
}
