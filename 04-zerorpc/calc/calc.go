// Package calc is the article's caculate service (the spelling is
// the article's), written as a plain Go type. Nothing in it knows
// about zerorpc but its errors: [zerorpc.Server.Register] exposes its
// exported methods as hello, add, multiply, subtract and divide.
package calc

import (
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// Caculate holds no state; its methods are the remote procedures.
type Caculate struct{}

// Hello greets, like the article's 'hello, {}'.format(name).
func (Caculate) Hello(name string) string { return "hello, " + name }

// Add returns x + y.
func (Caculate) Add(x, y int) int { return x + y }

// Multiply returns x * y.
func (Caculate) Multiply(x, y int) int { return x * y }

// Subtract returns |x − y|, as the article's abs(x-y).
func (Caculate) Subtract(x, y int) int {
	if x < y {
		return y - x
	}
	return x - y
}

// Divide is Python's floor division of ints (-7 // 2 == -4).
// Dividing by zero returns the error a Python server would raise, so
// a Python client sees "ZeroDivisionError: division by zero".
func (Caculate) Divide(x, y int) (int, error) {
	if y == 0 {
		return 0, &zerorpc.RemoteError{Name: "ZeroDivisionError", Message: "division by zero"}
	}
	q := x / y
	if (x%y != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	return q, nil
}

// ZerorpcDocs gives each method the doc string and parameter names
// a Python class would carry; introspection and the command line show
// them.
func (Caculate) ZerorpcDocs() map[string]zerorpc.Doc {
	return map[string]zerorpc.Doc{
		"hello":    {Text: "Say hello to name.", Args: []string{"name"}},
		"add":      {Text: "Return x + y.", Args: []string{"x", "y"}},
		"multiply": {Text: "Return x * y.", Args: []string{"x", "y"}},
		"subtract": {Text: "Return |x - y|.", Args: []string{"x", "y"}},
		"divide":   {Text: "Return x // y; dividing by zero raises ZeroDivisionError.", Args: []string{"x", "y"}},
	}
}

// NewServer returns a server named caculate (Python would use the
// class name) with the service registered. Set its other fields, then
// serve it.
func NewServer() (*zerorpc.Server, error) {
	s := &zerorpc.Server{Name: "caculate"}
	if err := s.Register(Caculate{}); err != nil {
		return nil, err
	}
	return s, nil
}
