package oslo_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// parallelCalls makes n calls of nap at once and returns how long
// they took together.
func parallelCalls(t *testing.T, c *oslo.RPCClient, n int) time.Duration {
	t.Helper()
	start := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := c.Call(t.Context(), "nap", oslo.Args{"arg": fmt.Sprint(i)}, nil); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	return time.Since(start)
}

// The executor is visible from outside: a blocking server runs six slow
// calls one after another (never more than one in flight), a pool of six
// runs them together (all six in flight at once). The endpoint counts
// the calls in flight; the times are only logged, since a busy machine
// may stretch them any way.
func TestBlockingExecutorRunsOneCallAtATimeAndAPoolRunsThemTogether(t *testing.T) {
	const n, d = 6, 100 * time.Millisecond
	for _, tc := range []struct {
		name     string
		executor oslo.Executor
		gather   int32 // the pool's naps wait for each other
		want     int32 // most calls in flight at once
	}{
		{"blocking", oslo.NewBlockingExecutor(), 0, 1},
		{"pool", oslo.NewPoolExecutor(n), n, n},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			s := &slow{D: d, gather: tc.gather}
			e.server("server01", []any{s}, oslo.ServerOptions{Executor: tc.executor})
			c := e.client(oslo.ClientOptions{Timeout: 5 * time.Minute})
			took := parallelCalls(t, c, n)
			t.Logf("%d parallel calls of %v with the %s executor took %v", n, d, tc.name, took)
			if got := s.maxInFlight.Load(); got != tc.want {
				t.Errorf("at most %d calls were in flight at once, want %d", got, tc.want)
			}
		})
	}
}

// Stop takes no new messages but lets the running call finish and answer;
// Wait returns only once it has; a waited server can start again.
func TestStopAndWaitWithACallInFlight(t *testing.T) {
	e := newEnv(t)
	s := &slow{started: make(chan string, 1), release: make(chan struct{})}
	srv := e.server("server01", []any{s}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(4)})
	c := e.client(oslo.ClientOptions{Timeout: 30 * time.Second})
	ctx := t.Context()

	inFlight := make(chan error, 1)
	go func() {
		var got string
		err := c.Call(ctx, "hold", oslo.Args{"arg": "in-flight"}, &got)
		if err == nil && got != "in-flight" {
			err = fmt.Errorf("got %q", got)
		}
		inFlight <- err
	}()
	<-s.started

	srv.Stop() // returns at once: it does not wait for the running call

	// Stopped: a new call is not taken.
	err := c.Prepare(oslo.Prepare{Timeout: 500 * time.Millisecond}).Call(ctx, "hold", oslo.Args{"arg": "late"}, nil)
	var timeout *oslo.MessagingTimeout
	if !errors.As(err, &timeout) {
		t.Fatalf("call after Stop: err = %v, want a timeout", err)
	}

	waited := make(chan struct{})
	go func() { srv.Wait(); close(waited) }()
	select {
	case <-waited:
		t.Fatal("Wait returned while a call was running")
	case <-time.After(300 * time.Millisecond):
	}
	close(s.release)
	if err := <-inFlight; err != nil {
		t.Fatalf("the call in flight at Stop: %v", err)
	}
	<-waited // Wait returns once the call has finished

	// Start again after Wait.
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	var got string
	if err := c.Call(ctx, "hold", oslo.Args{"arg": "again"}, &got); err != nil || got != "again" {
		t.Fatalf("after restart: %q, %v", got, err)
	}
}

// A cast sent while no server runs waits in the shared queue: the broker
// is the buffer (the article's second problem), and the next server to
// start serves it.
func TestCastWaitsForAServer(t *testing.T) {
	e := newEnv(t)
	first := &recorder{}
	srv := e.server("server01", []any{first}, oslo.ServerOptions{})
	srv.Stop()
	srv.Wait()

	c := e.client(oslo.ClientOptions{})
	if err := c.Cast(t.Context(), "test", oslo.Args{"arg": "buffered"}); err != nil {
		t.Fatal(err)
	}
	later := &recorder{}
	e.server("server02", []any{later}, oslo.ServerOptions{})
	waitFor(t, "the buffered cast", func() bool { return later.count("buffered") == 1 })
	if first.count("buffered") != 0 {
		t.Error("the stopped server ran the cast")
	}
}

// The control endpoint stops its own server from inside a call.
func TestStopFromInsideAnEndpoint(t *testing.T) {
	e := newEnv(t)
	ctl := &stopper{}
	srv := e.server("server01", []any{ctl}, oslo.ServerOptions{})
	ctl.srv = srv
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	if err := c.Prepare(oslo.Prepare{Namespace: "control", Version: "2.0"}).Call(t.Context(), "stop", nil, nil); err != nil {
		t.Fatal(err)
	}
	srv.Wait() // returns: stop() stopped the server from inside
}

// A message the broker had already sent, but that was still waiting for
// a free worker when Stop came, is not run: it goes back to its queue,
// and the server serves it once started again.
func TestStopRequeuesMessagesNotYetRunning(t *testing.T) {
	e := newEnv(t)
	s := &slow{started: make(chan string, 2), release: make(chan struct{})}
	srv := e.server("server01", []any{s}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(1)})
	c := e.client(oslo.ClientOptions{Timeout: 30 * time.Second}).Prepare(oslo.Prepare{Server: "server01"})
	ctx := t.Context()

	results := make(chan string, 2)
	call := func(arg string) {
		var got string
		if err := c.Call(ctx, "hold", oslo.Args{"arg": arg}, &got); err != nil {
			t.Error(err)
		}
		results <- got
	}
	go call("first")
	if got := <-s.started; got != "first" {
		t.Fatalf("started %q", got)
	}
	go call("second") // delivered, but the one worker is busy
	time.Sleep(300 * time.Millisecond)

	srv.Stop()
	close(s.release)
	if got := <-results; got != "first" {
		t.Fatalf("first result %q", got)
	}
	srv.Wait()
	select {
	case got := <-s.started:
		t.Fatalf("%q started after Stop", got)
	default:
	}

	s.release = make(chan struct{})
	close(s.release)
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	if got := <-results; got != "second" {
		t.Errorf("second result %q", got)
	}
}
