//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Add calls add on the calculator servers behind client and returns the
// sum.
func Add(ctx context.Context, client *oslo.RPCClient, x, y int) (int, error) {
	var sum int
	err := client.Call(ctx, "add", oslo.Args{"x": x, "y": y}, &sum)
	return sum, err
}
