//go:build exercises

package exercises_test

import (
	"fmt"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

func TestDivideByZeroIsAFaultWithItsOwnCode(t *testing.T) {
	srv := xmlrpc.NewServer()
	if err := srv.RegisterInstance(exercises.Calculator{}); err != nil {
		t.Fatal(err)
	}
	out := python(t, srv, "divide")
	requireLines(t, out, "Divide must still divide: call the embedded Calculator's Divide when y is not 0.",
		"divide(7, 2) -> 3")
	requireLines(t, out, "Look at Calculator.Divide in faultcode.go: return &xmlrpc.Fault{Code: DivisionByZero, String: …}.",
		fmt.Sprintf("divide(1, 0) Fault %d division by zero", exercises.DivisionByZero))
}
