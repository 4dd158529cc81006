//go:build solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"

// Power returns base raised to the power exp (exp ≥ 0).
func Power(base, exp int) int {
	p := 1
	for range exp {
		p *= base
	}
	return p
}

// NewPowerServer returns a JSON-RPC server with one method, "power",
// callable with params by position or by name (base, exp).
func NewPowerServer() (*jsonrpc.Server, error) {
	s := jsonrpc.NewServer()
	if err := s.RegisterFunction("power", Power, "base", "exp"); err != nil {
		return nil, err
	}
	return s, nil
}
