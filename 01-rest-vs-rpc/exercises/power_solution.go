//go:build solutions

package exercises

import (
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// Calculator is the lesson's RPC service with one more method, Power.
type Calculator struct {
	restrpc.CalculatorService
}

// Power sets *reply to args.X raised to the power args.Y.
func (Calculator) Power(args restrpc.Args, reply *int) error {
	if args.Y < 0 {
		return errors.New("power: negative exponent")
	}
	p := 1
	for range args.Y {
		p *= args.X
	}
	*reply = p
	return nil
}
