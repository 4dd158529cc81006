package oslo_test

import (
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// The Go client against the Go server passes the course's calculator
// spec (each method one call with keyword arguments x and y).
func TestCalculatorSpec(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{endpoints.CalculatorEndpoint{}}, oslo.ServerOptions{})
	calctest.Run(t, endpoints.CalculatorClient{RPC: e.client(oslo.ClientOptions{Timeout: 10 * time.Second})})
}
