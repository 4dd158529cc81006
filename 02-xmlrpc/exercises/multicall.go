//go:build !solutions

package exercises

import (
	"context"
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// AddAndMultiply asks the server behind c for x + y and x * y in ONE
// HTTP request: XML-RPC's system.multicall, which Python's server offers
// after register_multicall_functions. The test runs the article's
// Python server and counts the requests that reach it.
//
// Your code here. Use [xmlrpc.Client.Multicall] with two
// [xmlrpc.MulticallEntry] values; each [xmlrpc.MulticallResult] holds a
// Value or a Fault (a fault in one call is that call's error, not the
// whole request's). Values arrive as Go's int for XML-RPC's int.
func AddAndMultiply(ctx context.Context, c *xmlrpc.Client, x, y int) (sum, product int, err error) {
	return 0, 0, errors.New("not implemented: write AddAndMultiply in 02-xmlrpc/exercises/multicall.go")
}
