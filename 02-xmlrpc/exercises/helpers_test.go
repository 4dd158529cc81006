//go:build exercises

package exercises_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// python runs testdata/py_calls.py in mode against the handler h, served
// on a free loopback port, and returns what it printed.
func python(t *testing.T, h http.Handler, mode string) string {
	t.Helper()
	pypeer.Require(t, "xmlrpc.client")
	ts := httptest.NewServer(h)
	defer ts.Close()
	return pypeer.Run(t, t.Context(), "testdata/py_calls.py", ts.URL+"/", mode)
}

// requireLines fails the test unless out has every line of want; hint
// says where to look.
func requireLines(t *testing.T, out, hint string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(out, w+"\n") {
			t.Fatalf("Python's xmlrpc.client printed:\n%s\nwant a line %q.\n%s", out, w, hint)
		}
	}
}
