//go:build exercises

package exercises_test

import (
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestRebootServesAdminsAndRaisesPermissionErrorForOthers(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	tr, url := transport(t)
	serve(t, tr, oslo.Target{Topic: "test", Server: "server01"}, exercises.AdminEndpoint{})

	out := pypeer.Run(t, t.Context(), "testdata/py_calls.py", url, "admin")
	for _, want := range []string{
		"alice -> 'rebooting'",
		"bob PermissionError bob is not an admin",
	} {
		if !strings.Contains(out, want+"\n") {
			t.Errorf("oslo.messaging's client printed:\n%s\nwant a line %q.\n"+
				"Look at AdminEndpoint.Reboot in admin.go: read oslo.RequestContextFrom(ctx), "+
				"and fail with oslo.Builtin(\"PermissionError\", …).", out, want)
			break
		}
	}
}
