//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Broadcast casts test(arg=arg) to every server of client's topic.
func Broadcast(ctx context.Context, client *oslo.RPCClient, arg string) error {
	return client.Prepare(oslo.Prepare{Fanout: true}).Cast(ctx, "test", oslo.Args{"arg": arg})
}
