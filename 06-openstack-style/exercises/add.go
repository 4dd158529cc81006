//go:build !solutions

package exercises

import (
	"context"
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Add calls add on the calculator servers behind client and returns the
// sum. oslo.messaging passes arguments by keyword: the calculator's add
// takes x and y.
//
// Your code here. Use [oslo.RPCClient.Call] with an [oslo.Args] map and
// a pointer to the result.
func Add(ctx context.Context, client *oslo.RPCClient, x, y int) (int, error) {
	return 0, errors.New("not implemented: write Add in 06-openstack-style/exercises/add.go")
}
