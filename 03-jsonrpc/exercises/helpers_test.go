//go:build exercises

package exercises_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// articleServer starts the article's jsonrpclib server (lesson 03's
// testdata) and returns it and its URL.
func articleServer(t *testing.T) (*pypeer.Process, string) {
	t.Helper()
	pypeer.Require(t, "jsonrpclib")
	py := pypeer.Start(t, "../testdata/calc_server.py")
	addr := strings.TrimPrefix(py.WaitLine(t, "READY ", time.Minute), "READY ")
	return py, "http://" + addr + "/"
}
