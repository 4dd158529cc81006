package oslo_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
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

// slow sleeps for D in nap, and can hold a call until released. It
// counts the naps in flight and remembers the most there ever were, so a
// test can tell one-at-a-time from concurrent without a stopwatch.
type slow struct {
	D       time.Duration
	started chan string
	release chan struct{}

	// gather, when above 1, makes each nap wait (after its sleep) until
	// gather naps are in flight at once or ctx ends: a pool that runs
	// them together gets there, a server running one at a time never does.
	gather      int32
	inFlight    atomic.Int32
	maxInFlight atomic.Int32
}

func (s *slow) Nap(ctx context.Context, a argArgs) (string, error) {
	n := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for m := s.maxInFlight.Load(); n > m && !s.maxInFlight.CompareAndSwap(m, n); m = s.maxInFlight.Load() {
	}
	time.Sleep(s.D)
	for s.gather > 1 && s.maxInFlight.Load() < s.gather {
		select {
		case <-ctx.Done():
			return "", ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
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
