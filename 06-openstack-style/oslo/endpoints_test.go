package oslo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// recorder remembers every test call it served, by argument.
type recorder struct {
	name string
	mu   sync.Mutex
	args []string
}

type argArgs struct {
	Arg string `json:"arg"`
}

type anyArg struct {
	Arg any `json:"arg"`
}

func (r *recorder) Test(ctx context.Context, a anyArg) (any, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.args = append(r.args, fmt.Sprint(a.Arg))
	return a.Arg, nil
}

func (r *recorder) Whoami(ctx context.Context) (string, error) { return r.name, nil }

func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.args...)
}

func (r *recorder) count(arg string) int {
	n := 0
	for _, a := range r.seen() {
		if a == arg {
			n++
		}
	}
	return n
}

// failing fails in every way an endpoint can.
type failing struct{}

type customError struct{ Code int }

func (e *customError) Error() string { return "custom failure" }

func (failing) Value(ctx context.Context) (any, error) {
	return nil, oslo.Builtin("ValueError", "x must be positive")
}

func (failing) Plain(ctx context.Context) (any, error) {
	return nil, errors.New("plain Go error")
}

func (failing) Custom(ctx context.Context) (any, error) {
	return nil, &customError{Code: 7}
}

// Boom panics, as a method with a bug does; the server must answer with
// a failure and go on.
func (failing) Boom(ctx context.Context) (any, error) {
	panic("boom")
}

type sumArgs struct {
	X     int    `json:"x"`
	Y     int    `json:"y"`
	Label string `json:"label,omitempty"`
}

func (failing) Sum(ctx context.Context, a sumArgs) (int, error) { return a.X + a.Y, nil }

func (failing) Unserializable(ctx context.Context) (any, error) {
	return func() {}, nil
}

// slow sleeps for D in nap, and can hold a call until released.
type slow struct {
	D       time.Duration
	started chan string
	release chan struct{}
}

func (s *slow) Nap(ctx context.Context, a argArgs) (string, error) {
	time.Sleep(s.D)
	return a.Arg, nil
}

func (s *slow) Hold(ctx context.Context, a argArgs) (string, error) {
	s.started <- a.Arg
	<-s.release
	return a.Arg, nil
}

// versioned is an endpoint at version 2.3 in the default namespace.
type versioned struct{}

func (versioned) Target() oslo.Target { return oslo.Target{Version: "2.3"} }

func (versioned) Newer(ctx context.Context) (string, error) { return "2.3", nil }

// control is in namespace control, version 2.0, like the article's.
type control struct {
	mu      sync.Mutex
	stopped int
}

func (c *control) Target() oslo.Target { return oslo.Target{Namespace: "control", Version: "2.0"} }

func (c *control) Stop(ctx context.Context) error {
	c.mu.Lock()
	c.stopped++
	c.mu.Unlock()
	return nil
}

// whoCalls returns the caller's typed or plain request context.
type whoCalls struct{}

func (whoCalls) User(ctx context.Context) (any, error) {
	if uc := oslo.UserContextFrom(ctx); uc != nil {
		return uc, nil
	}
	return oslo.RequestContextFrom(ctx), nil
}

// stopper is the article's ServerControlEndpoint.
type stopper struct{ srv *oslo.RPCServer }

func (s *stopper) Target() oslo.Target { return oslo.Target{Namespace: "control", Version: "2.0"} }

func (s *stopper) Stop(ctx context.Context) error {
	s.srv.Stop()
	return nil
}
