// The course's calculator, served the OpenStack way: the same four
// methods every lesson serves, here as an oslo endpoint, so the course's
// calculator specification runs against this lesson too.

package endpoints

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// CalculatorEndpoint is the course's calculator (the article's Python
// class) as an oslo endpoint: keyword arguments x and y.
type CalculatorEndpoint struct{}

// Operands are the keyword arguments of every calculator method.
type Operands struct {
	X int `json:"x"`
	Y int `json:"y"`
}

func (CalculatorEndpoint) Add(ctx context.Context, a Operands) (int, error) { return a.X + a.Y, nil }

func (CalculatorEndpoint) Multiply(ctx context.Context, a Operands) (int, error) {
	return a.X * a.Y, nil
}

// Subtract returns |x−y|, as the article's Python does.
func (CalculatorEndpoint) Subtract(ctx context.Context, a Operands) (int, error) {
	if a.X > a.Y {
		return a.X - a.Y, nil
	}
	return a.Y - a.X, nil
}

// Divide is Python's floor division; by zero it fails with the
// exception a Python caller expects (ZeroDivisionError).
func (CalculatorEndpoint) Divide(ctx context.Context, a Operands) (int, error) {
	if a.Y == 0 {
		return 0, oslo.Builtin("ZeroDivisionError", "integer division or modulo by zero")
	}
	q := a.X / a.Y
	if (a.X%a.Y != 0) && ((a.X < 0) != (a.Y < 0)) {
		q--
	}
	return q, nil
}
