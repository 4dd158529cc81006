//go:build solutions

package exercises

import (
	"net/rpc"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// RPCAdd asks the server behind client for x + y by calling the method
// Calculator.Add, with a [restrpc.Args] as its argument and an int as its
// reply.
func RPCAdd(client *rpc.Client, x, y int) (int, error) {
	var sum int
	err := client.Call(restrpc.ServiceName+".Add", restrpc.Args{X: x, Y: y}, &sum)
	return sum, err
}
