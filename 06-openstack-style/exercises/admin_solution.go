//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// AdminEndpoint has one method only administrators may call.
type AdminEndpoint struct{}

// Reboot returns "rebooting" when the caller's request context has
// "admin" among its "roles"; otherwise it fails with a PermissionError.
func (AdminEndpoint) Reboot(ctx context.Context) (string, error) {
	rc := oslo.RequestContextFrom(ctx)
	roles, _ := rc["roles"].([]any)
	for _, r := range roles {
		if r == "admin" {
			return "rebooting", nil
		}
	}
	return "", oslo.Builtin("PermissionError", "%v is not an admin", rc["user"])
}
