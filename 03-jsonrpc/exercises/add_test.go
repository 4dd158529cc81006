//go:build exercises

package exercises_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

func TestAddCallsTheArticlesPythonServer(t *testing.T) {
	_, url := articleServer(t)
	c := jsonrpc.NewClient(url, nil)
	for _, tc := range []struct{ x, y, want int }{{2, 3, 5}, {-7, 7, 0}, {40, 2, 42}} {
		got, err := exercises.Add(t.Context(), c, tc.x, tc.y)
		if err != nil {
			t.Fatalf("Add(%d, %d) against jsonrpclib returned the error %q; want %d.\n"+
				"Look at add.go: c.Call(ctx, \"add\", []int{x, y}, &sum).", tc.x, tc.y, err, tc.want)
		}
		if got != tc.want {
			t.Fatalf("Add(%d, %d) = %d; want %d", tc.x, tc.y, got, tc.want)
		}
	}
}
