//go:build !solutions

package exercises

import (
	"errors"
	"net/rpc"
)

// RPCAdd asks the server behind client for x + y by calling the method
// Calculator.Add, with an Args of package restrpc as its argument and an int as its
// reply. This is the whole "RPC" side of the lesson: a method name, an
// argument, a reply, as if the calculator were local.
//
// Your code here. Use [rpc.Client.Call]; the method's name is the service
// name, a dot and the method (see ServiceName in package restrpc).
func RPCAdd(client *rpc.Client, x, y int) (int, error) {
	return 0, errors.New("not implemented: write RPCAdd in 01-rest-vs-rpc/exercises/rpcadd.go")
}
