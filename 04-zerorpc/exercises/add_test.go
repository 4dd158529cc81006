//go:build exercises

package exercises_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestAddCallsAPythonZerorpcServer(t *testing.T) {
	pypeer.Require(t, "zmq", "msgpack")
	py := pypeer.Start(t, "../testdata/pyserver.py")
	endpoint := strings.TrimPrefix(py.WaitLine(t, "READY ", 30*time.Second), "READY ")
	c := dial(t, endpoint, zerorpc.Dialer{Heartbeat: 200 * time.Millisecond})
	for _, tc := range []struct{ x, y, want int }{{2, 3, 5}, {40, 2, 42}} {
		got, err := exercises.Add(t.Context(), c, tc.x, tc.y)
		if err != nil {
			t.Fatalf("Add(%d, %d) against the Python server returned the error %q; want %d.\n"+
				"Look at add.go: c.CallInto(ctx, &sum, \"add\", x, y).", tc.x, tc.y, err, tc.want)
		}
		if got != tc.want {
			t.Fatalf("Add(%d, %d) = %d; want %d", tc.x, tc.y, got, tc.want)
		}
	}
}
