//go:build !solutions

package exercises

import (
	"context"
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// Add asks the JSON-RPC server behind c for x + y: the article's
// server.add(2, 3), from Go. The test points c at the article's own
// jsonrpclib server, in Python.
//
// Your code here. One call of [jsonrpc.Client.Call] does it: the method
// is "add", the params go by position ([]int{x, y}), and the result
// needs a pointer to decode into.
func Add(ctx context.Context, c *jsonrpc.Client, x, y int) (int, error) {
	return 0, errors.New("not implemented: write Add in 03-jsonrpc/exercises/add.go")
}
