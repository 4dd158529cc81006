// The article's calculator, served in the two styles the article shows.
// jsonrpclib registers loose functions one by one:
//
//	server.register_function(lambda x,y: x+y, 'add')
//
// python-jsonrpc subclasses a request handler and marks its methods as
// RPC methods. Both end up as the same JSON-RPC methods on the wire.

package jsonrpc

import "fmt"

// CodeDivisionByZero is an application error code: outside the range
// the specification reserves, so it cannot be mistaken for a protocol
// failure.
const CodeDivisionByZero = 1

// Add is the article's add. Add, [Multiply], [Subtract] and [Divide]
// are the article's calculate class as plain Go functions.
func Add(x, y int) int { return x + y }

// Multiply is the article's multiply.
func Multiply(x, y int) int { return x * y }

// Subtract is the article's abs(x-y), not x-y.
func Subtract(x, y int) int {
	if x > y {
		return x - y
	}
	return y - x
}

// Divide is Python's integer division, which floors (divide(-7, 2) is
// -4; Go's / truncates to -3). Dividing by zero is an application
// error with data saying what was divided.
func Divide(x, y int) (int, error) {
	if y == 0 {
		return 0, &Error{
			Code:    CodeDivisionByZero,
			Message: "division by zero",
			Data:    map[string]int{"dividend": x, "divisor": y},
		}
	}
	q := x / y
	if (x%y != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	return q, nil
}

// NewFunctionServer is the jsonrpclib style: one RegisterFunction
// per method. The parameter names x and y are the article's, so
// {"x": 2, "y": 3} works as well as [2, 3].
func NewFunctionServer() *Server {
	s := NewServer()
	for name, fn := range map[string]any{
		"add": Add, "subtract": Subtract, "multiply": Multiply, "divide": Divide,
	} {
		if err := s.RegisterFunction(name, fn, "x", "y"); err != nil {
			panic(err) // our own table: a programming error
		}
	}
	return s
}

// CalculatorHandler is the python-jsonrpc style: a type whose exported
// methods are the RPC methods (Add is called as add).
type CalculatorHandler struct{}

func (CalculatorHandler) Add(a, b int) int             { return Add(a, b) }
func (CalculatorHandler) Subtract(a, b int) int        { return Subtract(a, b) }
func (CalculatorHandler) Multiply(a, b int) int        { return Multiply(a, b) }
func (CalculatorHandler) Divide(a, b int) (int, error) { return Divide(a, b) }
func (CalculatorHandler) Hello(name string) string     { return fmt.Sprintf("hello, %s", name) }

// NewHandlerServer serves the methods of a [CalculatorHandler].
func NewHandlerServer() *Server {
	s := NewServer()
	if err := s.RegisterMethods(CalculatorHandler{}); err != nil {
		panic(err)
	}
	return s
}
