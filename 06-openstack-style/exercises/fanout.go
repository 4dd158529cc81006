//go:build !solutions

package exercises

import (
	"context"
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Broadcast casts test(arg=arg) to every server of client's topic, not
// to one of them. A plain cast goes to the topic's shared queue, where
// the servers take turns; a fanout cast goes to a fanout exchange, which
// copies it into each server's own queue.
//
// Your code here. Prepare a client with [oslo.Prepare] (which field?)
// and Cast on it.
func Broadcast(ctx context.Context, client *oslo.RPCClient, arg string) error {
	return errors.New("not implemented: write Broadcast in 06-openstack-style/exercises/fanout.go")
}
