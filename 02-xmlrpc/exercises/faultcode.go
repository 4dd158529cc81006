//go:build !solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"

// DivisionByZero is the fault code this server gives a division by
// zero, so that a client can tell it from every other failure: codes
// from -32000 to -32099 are left to each server by the XML-RPC fault
// code convention.
const DivisionByZero = -32000

// Calculator is the lesson's calculator (embedded: add, subtract,
// multiply and hello are its own) with a divide whose failure carries
// a code of its own. A Python client reads it as
//
//	except xmlrpc.client.Fault as f: f.faultCode
type Calculator struct {
	xmlrpc.Calculator
}

// Divide is the lesson's floor division; dividing by zero must be a
// fault with code [DivisionByZero].
//
// Your code here. A method that returns an [*xmlrpc.Fault] chooses the
// code and the text its caller sees; any other error gets the server's
// generic code.
func (c Calculator) Divide(x, y int32) (int64, error) {
	return c.Calculator.Divide(x, y)
}
