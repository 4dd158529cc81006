package xmlrpc_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// The Go client against the Go server passes the course's calculator
// specification, in both server modes.
func TestGoClientAndServerPassTheCalculatorSpecInBothModes(t *testing.T) {
	for _, mode := range []xmlrpc.Mode{xmlrpc.SingleThreaded, xmlrpc.Concurrent} {
		t.Run(mode.String(), func(t *testing.T) {
			_, c := start(t, inMode(mode))
			calctest.Run(t, calc{c})
		})
	}
}
