//go:build !solutions

package exercises

import (
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// Calculator is the lesson's RPC service with one more method. Embedding
// [restrpc.CalculatorService] keeps Add, Subtract, Multiply and Divide;
// the test registers a Calculator under the name "Calculator" and calls
// Calculator.Power over the wire. Count what you change to add a method
// this way, then think of what REST would need (a new operation in the
// resource's JSON, or a new resource?).
type Calculator struct {
	restrpc.CalculatorService
}

// Power sets *reply to args.X raised to the power args.Y.
//
// Your code here. Multiply in a loop (0 to the power 0 is 1). A negative
// exponent has no integer answer: return an error that says so; net/rpc
// sends its text to the client as an rpc.ServerError.
func (Calculator) Power(args restrpc.Args, reply *int) error {
	return errors.New("not implemented: write Calculator.Power in 01-rest-vs-rpc/exercises/power.go")
}
