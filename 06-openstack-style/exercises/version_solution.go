//go:build solutions

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
type EchoEndpoint struct{}

// Test returns its argument, as the article's test does.
func (EchoEndpoint) Test(ctx context.Context, args TestArgs) (any, error) {
	return args.Arg, nil
}

// Target declares version 2.0, so the article's client, which asks for
// 2.0, is served.
func (EchoEndpoint) Target() oslo.Target {
	return oslo.Target{Version: "2.0"}
}
