//go:build solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"

// DivisionByZero is the fault code this server gives a division by
// zero.
const DivisionByZero = -32000

// Calculator is the lesson's calculator with a divide whose failure
// carries a code of its own.
type Calculator struct {
	xmlrpc.Calculator
}

// Divide is the lesson's floor division; dividing by zero is a fault
// with code [DivisionByZero].
func (c Calculator) Divide(x, y int32) (int64, error) {
	if y == 0 {
		return 0, &xmlrpc.Fault{Code: DivisionByZero, String: "division by zero"}
	}
	return c.Calculator.Divide(x, y)
}
