//go:build !solutions

package exercises

import (
	"context"
	"errors"
)

// AdminEndpoint has one method only administrators may call. Who calls
// travels with every oslo.messaging message as the request context (the
// ctxt dict a Python caller passes first); a caller whose roles do not
// include "admin" must get the exception Python would raise itself,
// PermissionError, not a generic RemoteError.
type AdminEndpoint struct{}

// Reboot returns "rebooting" when the caller's request context has
// "admin" among its "roles"; otherwise it fails with a PermissionError
// whose message names the caller's "user", e.g. "bob is not an admin".
//
// Your code here. Read the caller's context with oslo's
// RequestContextFrom (a map: roles arrives as a []any of strings), and
// fail with oslo's Builtin, which picks the class a Python caller
// re-raises.
func (AdminEndpoint) Reboot(ctx context.Context) (string, error) {
	return "", errors.New("not implemented: write AdminEndpoint.Reboot in 06-openstack-style/exercises/admin.go")
}
