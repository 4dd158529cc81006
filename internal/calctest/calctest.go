// Package calctest is the one calculator specification that every lesson's
// client must pass.
//
// The article calls the same four methods over every wire: XML-RPC,
// JSON-RPC, zerorpc, and (with one argument) OpenStack RPC. Writing the
// expectations once, against an interface, and running them against each
// lesson's client makes that visible: the lessons are the same service,
// only the transport changes. (This is the acceptance-test idea from
// learn-go-with-tests: one specification, many drivers.)
package calctest

import (
	"context"
	"strings"
	"testing"
	"time"
)

// Calculator is what a lesson's test adapts its client to. Each method
// makes one remote call.
type Calculator interface {
	Add(ctx context.Context, x, y int) (int, error)
	Subtract(ctx context.Context, x, y int) (int, error)
	Multiply(ctx context.Context, x, y int) (int, error)
	Divide(ctx context.Context, x, y int) (int, error)
}

// A Case is one call and the answer the article's Python class gives.
type Case struct {
	Method string
	X, Y   int
	Want   int
}

// Cases follows the article's calculate class. Two of them are easy to
// get wrong in Go:
//   - subtract returns abs(x-y), so subtract(2, 3) is 1;
//   - divide is Python integer division, which floors: divide(2, 3) is 0
//     as the article shows, and divide(-7, 2) is -4 (Go's / would say -3).
var Cases = []Case{
	{"add", 2, 3, 5},
	{"add", -4, 1, -3},
	{"multiply", 2, 3, 6},
	{"multiply", -2, 8, -16},
	{"subtract", 2, 3, 1},
	{"subtract", 10, 4, 6},
	{"divide", 2, 3, 0},
	{"divide", 7, 2, 3},
	{"divide", -7, 2, -4},
}

// Run checks a client against the specification: every case answers as
// the article's server does, and dividing by zero comes back as an error
// whose text says so, not as a crash, a hang or a zero.
func Run(t *testing.T, calc Calculator) {
	t.Helper()
	for _, c := range Cases {
		t.Run(c.Method, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
			defer cancel()
			got, err := call(ctx, calc, c.Method, c.X, c.Y)
			if err != nil {
				t.Fatalf("%s(%d, %d): unexpected error: %v", c.Method, c.X, c.Y, err)
			}
			if got != c.Want {
				t.Errorf("%s(%d, %d) = %d, want %d", c.Method, c.X, c.Y, got, c.Want)
			}
		})
	}
	t.Run("divide_by_zero", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
		defer cancel()
		got, err := calc.Divide(ctx, 1, 0)
		if err == nil {
			t.Fatalf("divide(1, 0) = %d, want an error", got)
		}
		if !strings.Contains(err.Error(), "by zero") {
			t.Errorf("divide(1, 0) error %q does not say %q", err, "by zero")
		}
	})
}

// call turns a case's method name into the interface method.
func call(ctx context.Context, calc Calculator, method string, x, y int) (int, error) {
	switch method {
	case "add":
		return calc.Add(ctx, x, y)
	case "subtract":
		return calc.Subtract(ctx, x, y)
	case "multiply":
		return calc.Multiply(ctx, x, y)
	default:
		return calc.Divide(ctx, x, y)
	}
}
