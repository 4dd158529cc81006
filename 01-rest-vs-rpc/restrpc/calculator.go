// The service itself knows nothing about networks. Both the REST
// resource and the RPC methods call [Calculate], so any difference a
// student sees between the two styles comes from the wire, not from the
// arithmetic.

package restrpc

import (
	"errors"
	"fmt"
)

// The four operations, named as in the article's Python class.
const (
	OpAdd      = "add"
	OpSubtract = "subtract"
	OpMultiply = "multiply"
	OpDivide   = "divide"
)

// Operations lists the operation names in a fixed order, for help
// texts and error messages.
var Operations = []string{OpAdd, OpSubtract, OpMultiply, OpDivide}

// ErrDivisionByZero is what dividing by zero returns. Its text says
// "by zero", like Python's ZeroDivisionError, and it travels as text
// over every wire: a problem detail in REST, an error string in
// net/rpc.
var ErrDivisionByZero = errors.New("division by zero")

// UnknownOperationError names an operation the calculator lacks.
type UnknownOperationError struct {
	Operation string
}

func (e *UnknownOperationError) Error() string {
	return fmt.Sprintf("unknown operation %q (want one of %v)",
		e.Operation, Operations)
}

// Calculate runs one operation. It never panics: a bad operation
// or a zero divisor is an error value.
func Calculate(op string, x, y int) (int, error) {
	switch op {
	case OpAdd:
		return x + y, nil
	case OpSubtract:
		// The article's subtract is abs(x-y).
		if x > y {
			return x - y, nil
		}
		return y - x, nil
	case OpMultiply:
		return x * y, nil
	case OpDivide:
		if y == 0 {
			return 0, ErrDivisionByZero
		}
		return floorDiv(x, y), nil
	default:
		return 0, &UnknownOperationError{Operation: op}
	}
}

// floorDiv is Python's //: it rounds toward minus infinity, where
// Go's / truncates toward zero. So -7 // 2 is -4, not -3.
func floorDiv(x, y int) int {
	q := x / y
	if x%y != 0 && (x < 0) != (y < 0) {
		q--
	}
	return q
}
