//go:build !solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// TestArgs are the keyword arguments of test: one, named arg.
type TestArgs struct {
	Arg any `json:"arg"`
}

// EchoEndpoint is the article's TestEndpoint: its test returns arg.
//
// The article's client prepares its target with version='2.0', and an
// endpoint with no version of its own is version 1.0: the server
// answers UnsupportedVersion, and the call fails. The test runs that
// very client, in Python, against a Go server with this endpoint on
// topic test.
type EchoEndpoint struct{}

// Test returns its argument, as the article's test does.
func (EchoEndpoint) Test(ctx context.Context, args TestArgs) (any, error) {
	return args.Arg, nil
}

// Target declares the endpoint's namespace and version, like the
// Python class's target attribute.
//
// Your code here. A server accepts a call for version M.N when an
// endpoint's version has the same major number M and a minor number of
// at least N.
func (EchoEndpoint) Target() oslo.Target {
	return oslo.Target{}
}
