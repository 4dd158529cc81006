//go:build exercises

package exercises_test

import (
	"net/rpc"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

func TestRPCAddCallsTheCalculator(t *testing.T) {
	addr := serve(t, restrpc.GobRPC)
	client, err := rpc.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	for _, c := range []struct{ x, y, want int }{{2, 3, 5}, {-7, 7, 0}, {40, 2, 42}} {
		got, err := exercises.RPCAdd(client, c.x, c.y)
		if err != nil {
			t.Fatalf("RPCAdd(client, %d, %d) returned the error %q; want %d.\n"+
				"Look at rpcadd.go: call client.Call with the method name %q.",
				c.x, c.y, err, c.want, restrpc.ServiceName+".Add")
		}
		if got != c.want {
			t.Fatalf("RPCAdd(client, %d, %d) = %d; want %d (did the reply reach the int you return?)",
				c.x, c.y, got, c.want)
		}
	}
}
