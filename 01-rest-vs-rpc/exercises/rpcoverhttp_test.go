//go:build exercises

package exercises_test

import (
	"net/rpc"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

func TestDialHTTPSpeaksGobAfterOneConnect(t *testing.T) {
	// An rpc.Server is an http.Handler: it answers CONNECT and then
	// serves the connection as a gob stream.
	addr := serveHTTP(t, restrpc.NewRPCServer())

	client, err := exercises.DialHTTP(t.Context(), addr)
	if err != nil {
		t.Fatalf("DialHTTP(%s) returned the error %q.\nLook at rpcoverhttp.go: send %q, "+
			"read the answer, then rpc.NewClient(conn).", addr, err, "CONNECT "+rpc.DefaultRPCPath+" HTTP/1.0\\n\\n")
	}
	if client == nil {
		t.Fatal("DialHTTP returned a nil client and no error")
	}
	defer client.Close()
	var sum int
	if err := client.Call("Calculator.Add", restrpc.Args{X: 2, Y: 3}, &sum); err != nil || sum != 5 {
		t.Fatalf("Calculator.Add(2, 3) over HTTP = %d, %v; want 5", sum, err)
	}

	// A server that is not net/rpc must be an error, not a broken client.
	if c, err := exercises.DialHTTP(t.Context(), serveHTTP(t, restrpc.NewRESTHandler())); err == nil {
		c.Close()
		t.Error("DialHTTP to a REST server returned no error; check the CONNECT answer's status is 200")
	}
}
