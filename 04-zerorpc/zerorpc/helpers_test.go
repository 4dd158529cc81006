// Shared test fixtures: a service with every kind of method, and a
// server and client wired together on a free port.

package zerorpc_test

import (
	"context"
	"errors"
	"iter"
	"log"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// `testService` has plain, failing, slow and streaming methods.
type testService struct {
	mu     sync.Mutex
	causes []error // why `wait_ctx` calls ended
}

func (*testService) Add(x, y int) int              { return x + y }
func (*testService) Echo(v any) any                { return v }
func (*testService) Nothing()                      {}
func (*testService) Concat(parts ...string) string { return strings.Join(parts, "") }
func (*testService) Fail(msg string) error         { return errors.New(msg) }
func (*testService) Boom() int                     { panic("boom") }
func (*testService) BadResult() func()             { return func() {} }

// `Sleep` takes `ms` milliseconds, so tests can hold a call open.
func (*testService) Sleep(ctx context.Context, ms int) (string, error) {
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
		return "slept", nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// `WaitCtx` blocks until the server cancels the call, and records why.
func (s *testService) WaitCtx(ctx context.Context) {
	<-ctx.Done()
	s.mu.Lock()
	s.causes = append(s.causes, context.Cause(ctx))
	s.mu.Unlock()
}

func (s *testService) cancelCauses() []error {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]error(nil), s.causes...)
}

// `Count` streams 0..n-1 as an iterator.
func (*testService) Count(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := range n {
			if !yield(i) {
				return
			}
		}
	}
}

// `CountChan` streams 0..n-1 through a channel.
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

// `CountThenFail` streams n items, then fails.
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

// `quiet` sends the library's log lines to the test log.
// Lines logged after the test ended (by a goroutine still closing)
// are discarded.
func quiet(t testing.TB) zerorpc.Option {
	w := &testWriter{t: t}
	t.Cleanup(func() { w.done.Store(true) })
	return zerorpc.WithLogger(log.New(w, "", 0))
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

// `startServer` serves `svc` on a free port until the test ends.
func startServer(t testing.TB, svc any, opts ...zerorpc.Option) *zerorpc.Server {
	t.Helper()
	s := zerorpc.NewServer(append([]zerorpc.Option{zerorpc.WithName("test"), quiet(t)}, opts...)...)
	if err := s.Register(svc); err != nil {
		t.Fatal(err)
	}
	if err := s.Start("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.Close()
		s.Wait()
	})
	return s
}

// `dial` connects a client until the test ends.
func dial(t testing.TB, endpoint string, opts ...zerorpc.Option) *zerorpc.Client {
	t.Helper()
	c, err := zerorpc.Dial(endpoint, append([]zerorpc.Option{quiet(t)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}
