package xmlrpc_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// The article's claim about the two Python servers, measured: N calls
// of a slow method made at the same time take about N times as long
// as one call on a single-threaded server, and about as long as one
// call on a concurrent server. The bounds are generous (≥ 0.8·N·d and
// < 0.5·N·d) so a loaded machine cannot make the test flaky.
func TestModes(t *testing.T) {
	if testing.Short() {
		t.Skip("takes about 2 s")
	}
	const (
		n  = 4
		ms = 300
	)
	d := time.Duration(ms) * time.Millisecond
	for _, tc := range []struct {
		mode  xmlrpc.Mode
		check func(took time.Duration) bool
		want  string
	}{
		{xmlrpc.SingleThreaded, func(took time.Duration) bool { return took >= 8*n*d/10 }, "≥ 0.8·N·d"},
		{xmlrpc.Concurrent, func(took time.Duration) bool { return took < n*d/2 }, "< 0.5·N·d"},
	} {
		t.Run(tc.mode.String(), func(t *testing.T) {
			_, c := start(t, xmlrpc.ServeConfig{Mode: tc.mode})
			begin := time.Now()
			var wg sync.WaitGroup
			errs := make([]error, n)
			for i := range n {
				wg.Go(func() { _, errs[i] = c.Call(ctx(t), "sleep", ms) })
			}
			wg.Wait()
			took := time.Since(begin)
			for _, err := range errs {
				if err != nil {
					t.Fatal(err)
				}
			}
			t.Logf("%d parallel sleep(%d) calls took %v", n, ms, took)
			if !tc.check(took) {
				t.Errorf("%s mode: %d parallel calls of %v took %v, want %s (%v)",
					tc.mode, n, d, took, tc.want, n*d)
			}
		})
	}
}

// In single-threaded mode a second connection is not even accepted
// while the first is served; closing the server still works while
// clients wait.
func TestSingleThreadedShutsDownWithQueuedClients(t *testing.T) {
	r, c := start(t, xmlrpc.ServeConfig{Mode: xmlrpc.SingleThreaded, ShutdownTimeout: 3 * time.Second})
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() { _, _ = c.Call(ctx(t), "sleep", 200) })
	}
	time.Sleep(100 * time.Millisecond)
	done := make(chan error, 1)
	go func() { done <- r.Close() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("close: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("Close hung with clients queued")
	}
	wg.Wait()
}

// A busy address is an error from `ListenAndServe` and `Start`, and a
// cancelled context stops `ListenAndServe` cleanly.
func TestListenAndServe(t *testing.T) {
	r, _ := start(t, xmlrpc.ServeConfig{})
	if err := xmlrpc.ListenAndServe(context.Background(), r.Addr(), xmlrpc.NewServer(), xmlrpc.ServeConfig{}); err == nil {
		t.Error("ListenAndServe on a busy address succeeded")
	}
	if _, err := xmlrpc.Start(r.Addr(), xmlrpc.NewServer(), xmlrpc.ServeConfig{}); err == nil {
		t.Error("Start on a busy address succeeded")
	}
	if want := "http://" + r.Addr() + "/RPC2"; r.URL() != want {
		t.Errorf("URL() = %q, want %q", r.URL(), want)
	}

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- xmlrpc.ListenAndServe(ctx, "127.0.0.1:0", xmlrpc.NewServer(), xmlrpc.ServeConfig{}) }()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ListenAndServe after cancel: %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("ListenAndServe did not stop")
	}
}
