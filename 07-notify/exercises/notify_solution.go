//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// NotifyCreated sends an INFO notification compute.instance.create.end
// with the instance's id in the payload.
func NotifyCreated(ctx context.Context, n *notify.Notifier, instanceID string) error {
	return n.Info(ctx, "compute.instance.create.end", map[string]any{"instance_id": instanceID})
}
