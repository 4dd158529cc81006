//go:build exercises

package exercises_test

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestPowerServerTakesParamsByPositionAndByName(t *testing.T) {
	pypeer.Require(t, "jsonrpclib")
	srv, err := exercises.NewPowerServer()
	if err != nil {
		t.Fatalf("NewPowerServer: %v", err)
	}
	ts := httptest.NewServer(srv)
	defer ts.Close()

	out := pypeer.Run(t, t.Context(), "testdata/power_client.py", ts.URL+"/")
	if !strings.Contains(out, "by position 1024\n") || !strings.Contains(out, "by name 1024\n") {
		t.Errorf("Python's jsonrpclib printed:\n%s\nwant %q and %q.\n"+
			"Look at byname.go: register power, and give RegisterFunction the parameter names.",
			out, "by position 1024", "by name 1024")
	}
}
