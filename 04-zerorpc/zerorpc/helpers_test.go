// Shared test fixtures: a service with every kind of method, and a
// server and client wired together on a free port.

package zerorpc_test

import (
	"context"
	"errors"
	"iter"
	"log"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// testService has plain, failing, slow and streaming methods.
type testService struct {
	mu     sync.Mutex
	causes []error // why wait_ctx calls ended

	inFlight, maxInFlight atomic.Int32 // gather calls
}

func (*testService) Add(x, y int) int              { return x + y }
func (*testService) Echo(v any) any                { return v }
func (*testService) Nothing()                      {}
func (*testService) Concat(parts ...string) string { return strings.Join(parts, "") }
func (*testService) Fail(msg string) error         { return errors.New(msg) }
func (*testService) Boom() int                     { panic("boom") }
func (*testService) BadResult() func()             { return func() {} }

// Sleep takes ms milliseconds, so tests can hold a call open.
func (*testService) Sleep(ctx context.Context, ms int) (string, error) {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "slept", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// WaitCtx blocks until the server cancels the call, and records why.
func (s *testService) WaitCtx(ctx context.Context) {
	<-ctx.Done()
	s.mu.Lock()
	s.causes = append(s.causes, context.Cause(ctx))
	s.mu.Unlock()
}

// Gather waits until n gather calls are in flight at once (or its call
// is cancelled), and returns n. It counts the calls in flight.
func (s *testService) Gather(ctx context.Context, n int) (int, error) {
	now := s.inFlight.Add(1)
	defer s.inFlight.Add(-1)
	for {
		old := s.maxInFlight.Load()
		if now <= old || s.maxInFlight.CompareAndSwap(old, now) {
			break
		}
	}
	for s.maxInFlight.Load() < int32(n) {
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Millisecond):
		}
	}
	return n, nil
}

func (s *testService) cancelCauses() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.causes...)
}

// Count streams 0..n-1 as an iterator.
func (*testService) Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// CountChan streams 0..n-1 through a channel.
func (*testService) CountChan(ctx context.Context, n int) <-chan int {
	ch := make(chan int)
	go func() {
		defer close(ch)
		for i := range n {
			select {
			case ch <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	return ch
}

// CountThenFail streams n items, then fails.
func (*testService) CountThenFail(n int) iter.Seq2[int, error] {
	return func(yield func(int, error) bool) {
		for i := range n {
			if !yield(i, nil) {
				return
			}
		}
		yield(0, &zerorpc.RemoteError{Name: "ValueError", Message: "enough"})
	}
}

func (*testService) ZerorpcDocs() map[string]zerorpc.Doc {
	return map[string]zerorpc.Doc{
		"add": {Text: "Add two numbers.\n\nReturns x + y.", Args: []string{"x", "y"}},
	}
}

// quiet sends the library's log lines to the test log. Lines logged
// after the test ended (by a goroutine still closing) are discarded.
func quiet(t testing.TB) *log.Logger {
	w := &testWriter{t: t}
	t.Cleanup(func() { w.done.Store(true) })
	return log.New(w, "", 0)
}

type testWriter struct {
	t    testing.TB
	done atomic.Bool
}

func (w *testWriter) Write(p []byte) (int, error) {
	if !w.done.Load() {
		w.t.Log(strings.TrimSpace(string(p)))
	}
	return len(p), nil
}

// A testServer is a server serving on a free port.
type testServer struct {
	*zerorpc.Server
	endpoint string
}

// Endpoint is the address clients dial, with the real port.
func (s testServer) Endpoint() string { return s.endpoint }

// serve serves s on a free port until the test ends, the way every
// program of the course starts a server: net.Listen, then go Serve.
func serve(t testing.TB, s *zerorpc.Server) testServer {
	t.Helper()
	if s.ErrorLog == nil {
		s.ErrorLog = quiet(t)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- s.Serve(ln) }()
	t.Cleanup(func() {
		s.Close()
		if err := <-done; !errors.Is(err, zerorpc.ErrServerClosed) {
			t.Errorf("Serve returned %v, want ErrServerClosed", err)
		}
	})
	return testServer{s, "tcp://" + ln.Addr().String()}
}

// startServer serves svc, named "test", on a free port until the test
// ends; configure may set fields before it serves.
func startServer(t testing.TB, svc any, configure ...func(*zerorpc.Server)) testServer {
	t.Helper()
	s := &zerorpc.Server{Name: "test"}
	for _, f := range configure {
		f(s)
	}
	if err := s.Register(svc); err != nil {
		t.Fatal(err)
	}
	return serve(t, s)
}

// heartbeat sets a server's heartbeat interval.
func heartbeat(d time.Duration) func(*zerorpc.Server) {
	return func(s *zerorpc.Server) { s.Heartbeat = d }
}

// dial connects a client until the test ends; d's zero fields are
// the defaults.
func dial(t testing.TB, endpoint string, d ...zerorpc.Dialer) *zerorpc.Client {
	t.Helper()
	var dialer zerorpc.Dialer
	if len(d) > 0 {
		dialer = d[0]
	}
	if dialer.ErrorLog == nil {
		dialer.ErrorLog = quiet(t)
	}
	c, err := dialer.Dial(endpoint)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// patience is how long a test may wait for something that must happen:
// until shortly before the test binary's deadline. It guards against
// a hang; it never asserts how fast anything is.
func patience(t testing.TB) time.Duration {
	if d, ok := t.(interface{ Deadline() (time.Time, bool) }); ok {
		if deadline, ok := d.Deadline(); ok {
			return max(time.Until(deadline)-10*time.Second, time.Second)
		}
	}
	return 10 * time.Minute
}

// waitFor polls cond until it holds, for as long as the test may run.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience(t))
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
