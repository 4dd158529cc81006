//go:build !solutions

package exercises

import (
	"context"
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// Add asks the zerorpc server behind c for x + y: the article's
// c.add(2, 3), from Go. The test runs a Python zerorpc server on the
// other end.
//
// Your code here. [zerorpc.Client.CallInto] decodes the result straight
// into a Go value of your choice.
func Add(ctx context.Context, c *zerorpc.Client, x, y int) (int, error) {
	return 0, errors.New("not implemented: write Add in 04-zerorpc/exercises/add.go")
}
