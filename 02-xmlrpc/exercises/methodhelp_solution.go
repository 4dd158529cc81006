//go:build solutions

package exercises

import (
	"errors"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// Power returns x raised to the power y; a negative y is an error.
func Power(x, y int32) (int64, error) {
	if y < 0 {
		return 0, errors.New("power: negative exponent")
	}
	p := int64(1)
	for range y {
		p *= int64(x)
	}
	return p, nil
}

// NewPowerServer returns the article's calculator server with one more
// method, power, listed and explained by the system methods.
func NewPowerServer() (*xmlrpc.Server, error) {
	s := xmlrpc.NewCalculatorServer()
	if err := s.RegisterFunction("power", Power); err != nil {
		return nil, err
	}
	if err := s.SetHelp("power", "power(x, y) returns x to the power y; y must not be negative."); err != nil {
		return nil, err
	}
	return s, nil
}
