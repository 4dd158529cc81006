package xmlrpc_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// inFlight counts the calls of a method that are running right now and
// remembers the most there ever were at once.
type inFlight struct {
	now, max atomic.Int32
	n        int32         // how many calls are meant to meet
	allIn    chan struct{} // closed when n calls run at once
	once     sync.Once
}

func newInFlight(n int) *inFlight {
	return &inFlight{n: int32(n), allIn: make(chan struct{})}
}

// work is the method under test. It holds its call until n calls run
// at once (which only a concurrent server allows) or until hold has
// passed, so the calls overlap as far as the server lets them.
func (f *inFlight) work(hold time.Duration) func(context.Context) int {
	return func(ctx context.Context) int {
		now := f.now.Add(1)
		defer f.now.Add(-1)
		for m := f.max.Load(); now > m && !f.max.CompareAndSwap(m, now); m = f.max.Load() {
		}
		if now == f.n {
			f.once.Do(func() { close(f.allIn) })
		}
		select {
		case <-f.allIn:
		case <-time.After(hold):
		case <-ctx.Done():
		}
		return int(now)
	}
}

// The article's claim about the two Python servers, checked by
// counting instead of timing: with N clients calling at once, a
// single-threaded server never runs more than one call, and a
// concurrent one runs all N together, or MaxConns of them when that
// is fewer.
func TestSingleThreadedRunsOneCallAtATimeAndConcurrentRunsAll(t *testing.T) {
	const n = 4
	for _, tc := range []struct {
		name     string
		mode     xmlrpc.Mode
		maxConns int
		hold     time.Duration // how long a call waits for the others
		wantMax  int32
	}{
		{"single", xmlrpc.SingleThreaded, 0, 100 * time.Millisecond, 1},
		{"concurrent", xmlrpc.Concurrent, 0, 20 * time.Second, n},
		{"concurrent with MaxConns 2", xmlrpc.Concurrent, 2, 20 * time.Second, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The calls wait for each other: all n of them, or the two
			// that MaxConns lets in.
			f := newInFlight(n)
			if tc.maxConns > 0 {
				f = newInFlight(tc.maxConns)
			}
			r, _ := start(t, inMode(tc.mode), func(s *xmlrpc.Server) {
				s.MaxConns = tc.maxConns
				if err := s.RegisterFunction("work", f.work(tc.hold)); err != nil {
					t.Fatal(err)
				}
			})
			begin := time.Now()
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				// A client each, as n separate programs would be.
				c := newClient(t, r.URL())
				wg.Go(func() {
					_, errs[i] = c.Call(t.Context(), "work")
					// Hang up, so that the connection does not keep
					// its place on the server while idle.
					_ = c.Close()
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Fatal(err)
			}
			t.Logf("%s: %d calls at once took %v; at most %d ran together",
				tc.name, n, time.Since(begin).Round(time.Millisecond), f.max.Load())
			if got := f.max.Load(); got != tc.wantMax {
				t.Errorf("%s: %d calls ran at once, want %d", tc.name, got, tc.wantMax)
			}
		})
	}
}

// Shutdown lets the call in flight finish, even in single-threaded
// mode with other clients queued behind it, and Serve then returns
// http.ErrServerClosed.
func TestShutdownFinishesTheCallInFlightWithClientsQueued(t *testing.T) {
	started := make(chan struct{}, 1)
	var finished atomic.Bool
	srv := xmlrpc.NewServer()
	if err := srv.RegisterFunction("slow", func() bool {
		started <- struct{}{}
		time.Sleep(200 * time.Millisecond)
		finished.Store(true)
		return true
	}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	url := "http://" + ln.Addr().String() + "/RPC2"
	first := make(chan error, 1)
	go func() { _, err := newClient(t, url).Call(t.Context(), "slow"); first <- err }()
	<-started
	var queued sync.WaitGroup
	for range 2 {
		c := newClient(t, url)
		queued.Go(func() { _, _ = c.Call(t.Context(), "slow") })
	}

	if err := srv.Shutdown(t.Context()); err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if !finished.Load() {
		t.Error("Shutdown returned before the call in flight finished")
	}
	if err := <-first; err != nil {
		t.Errorf("the call in flight: %v", err)
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("Serve after Shutdown returned %v, want http.ErrServerClosed", err)
	}
	queued.Wait()
}

// ListenAndServe listens on Addr: a busy address is an error, and
// Close stops a running server with http.ErrServerClosed.
func TestListenAndServeUsesAddrAndStopsOnClose(t *testing.T) {
	r, _ := start(t)
	busy := xmlrpc.NewServer()
	busy.Addr = r.Addr()
	if err := busy.ListenAndServe(); err == nil || errors.Is(err, http.ErrServerClosed) {
		t.Errorf("ListenAndServe on a busy address: %v", err)
	}

	// Find a free port, then serve on it by name.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := xmlrpc.NewCalculatorServer()
	srv.Addr = addr
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	c := newClient(t, "http://"+addr)
	var n int
	for {
		// The server may not be listening yet: retry until it is.
		if n, err = xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err == nil {
			break
		}
		select {
		case err := <-done:
			t.Fatalf("ListenAndServe: %v", err)
		case <-time.After(20 * time.Millisecond):
		}
	}
	if n != 5 {
		t.Errorf("add(2, 3) = %d", n)
	}
	if err := srv.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("ListenAndServe after Close returned %v, want http.ErrServerClosed", err)
	}
}
