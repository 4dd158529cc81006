//go:build !solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"

// Power returns x raised to the power y. The server registers it as
// power, and the test calls it with the lesson's command line:
//
//	go run ./04-zerorpc/cli -j tcp://127.0.0.1:4242 power 2 10
//
// which must print 1024. A negative y has no integer answer: fail the
// way a Python server would, with a ValueError, so the command line
// prints "ValueError: negative exponent" and exits 1.
//
// Your code here. Multiply in a loop; return a [zerorpc.RemoteError]
// with Name "ValueError" for a negative y.
func (Caculate) Power(x, y int) (int, error) {
	return 0, &zerorpc.RemoteError{Name: "NotImplementedError",
		Message: "write Caculate.Power in 04-zerorpc/exercises/power.go"}
}
