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
	ctx := ctxFor(t, 2*time.Minute)
	start := time.Now()
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := c.Call(ctx, "nap", oslo.Args{"arg": fmt.Sprint(i)}, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	return time.Since(start)
}

// The executor is visible from outside: a blocking server runs six slow
// calls one after another, a pool of six runs them together. (Generous
// ratios: the check is "about N×" against "about 1×".)
func TestExecutorsBlockingAndPool(t *testing.T) {
	const n, d = 6, 250 * time.Millisecond
	for _, tc := range []struct {
		name     string
		executor oslo.Executor
		check    func(time.Duration) bool
		want     string
	}{
		{"blocking", oslo.NewBlockingExecutor(), func(took time.Duration) bool { return took >= time.Duration(0.8*float64(n*d)) }, ">= 0.8·N·d"},
		{"pool", oslo.NewPoolExecutor(n), func(took time.Duration) bool { return took < time.Duration(0.5*float64(n*d)) }, "< 0.5·N·d"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			e.server("server01", []any{&slow{D: d}}, oslo.ServerOptions{Executor: tc.executor})
			c := e.client(oslo.ClientOptions{Timeout: 30 * time.Second})
			took := parallelCalls(t, c, n)
			if !tc.check(took) {
				t.Errorf("%d parallel calls of %v took %v, want %s", n, d, took, tc.want)
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
	ctx := ctxFor(t, time.Minute)

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

	stopped := make(chan struct{})
	go func() { srv.Stop(); close(stopped) }()
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop blocked on the running call")
	}

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
	select {
	case <-waited:
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return after the call finished")
	}

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
	if err := c.Cast(ctxFor(t, time.Minute), "test", oslo.Args{"arg": "buffered"}); err != nil {
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
	if err := c.Prepare(oslo.Prepare{Namespace: "control", Version: "2.0"}).Call(ctxFor(t, time.Minute), "stop", nil, nil); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { srv.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Wait did not return after stop()")
	}
}

// A message the broker had already sent, but that was still waiting for
// a free worker when Stop came, is not run: it goes back to its queue,
// and the server serves it once started again.
func TestStopRequeuesMessagesNotYetRunning(t *testing.T) {
	e := newEnv(t)
	s := &slow{started: make(chan string, 2), release: make(chan struct{})}
	srv := e.server("server01", []any{s}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(1)})
	c := e.client(oslo.ClientOptions{Timeout: 30 * time.Second}).Prepare(oslo.Prepare{Server: "server01"})
	ctx := ctxFor(t, time.Minute)

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
	select {
	case got := <-results:
		if got != "second" {
			t.Errorf("second result %q", got)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("the requeued call was not served after Start")
	}
}
