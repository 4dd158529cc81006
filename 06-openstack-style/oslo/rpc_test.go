package oslo_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Three servers on topic test, as in the lesson: a call goes to one of
// them in turn, a call prepared for server02 goes there, a fanout cast
// reaches all three and a plain cast exactly one.
func TestCallCastAndFanoutAcrossThreeServers(t *testing.T) {
	e := newEnv(t)
	var servers []*recorder
	for _, name := range []string{"server01", "server02", "server03"} {
		r := &recorder{name: name}
		servers = append(servers, r)
		e.server(name, []any{r}, oslo.ServerOptions{})
	}
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	ctx := t.Context()

	var who []string
	for i := 0; i < 3; i++ {
		var name string
		if err := c.Call(ctx, "whoami", nil, &name); err != nil {
			t.Fatal(err)
		}
		who = append(who, name)
	}
	slices.Sort(who)
	if want := []string{"server01", "server02", "server03"}; !slices.Equal(who, want) {
		t.Errorf("three calls answered by %v, want one each (round robin) %v", who, want)
	}

	direct := c.Prepare(oslo.Prepare{Server: "server02"})
	for i := 0; i < 3; i++ {
		var name string
		if err := direct.Call(ctx, "whoami", nil, &name); err != nil {
			t.Fatal(err)
		}
		if name != "server02" {
			t.Errorf("call for test.server02 answered by %s", name)
		}
	}

	var echoed string
	if err := c.Call(ctx, "test", oslo.Args{"arg": "hello"}, &echoed); err != nil || echoed != "hello" {
		t.Errorf("test(arg=hello) = %q, %v", echoed, err)
	}

	if err := c.Prepare(oslo.Prepare{Fanout: true}).Cast(ctx, "test", oslo.Args{"arg": "everyone"}); err != nil {
		t.Fatal(err)
	}
	if err := c.Cast(ctx, "test", oslo.Args{"arg": "someone"}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "the fanout cast on every server", func() bool {
		for _, r := range servers {
			if r.count("everyone") != 1 {
				return false
			}
		}
		return true
	})
	waitFor(t, "the cast on one server", func() bool {
		n := 0
		for _, r := range servers {
			n += r.count("someone")
		}
		return n == 1
	})
	// A call cannot be fanout.
	err := c.Prepare(oslo.Prepare{Fanout: true}).Call(ctx, "test", oslo.Args{"arg": "x"}, nil)
	var invalid *oslo.InvalidTarget
	if !errors.As(err, &invalid) {
		t.Errorf("fanout call: err = %v, want *InvalidTarget", err)
	}
}

// Many calls at once through one client and its one reply queue: each
// caller gets its own answer (the map from message id to waiter).
func TestConcurrentCallsShareOneReplyQueue(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&recorder{}}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(8)})
	c := e.client(oslo.ClientOptions{Timeout: 20 * time.Second})
	ctx := t.Context()

	const n = 50
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			want := fmt.Sprintf("call-%d", i)
			var got string
			if err := c.Call(ctx, "test", oslo.Args{"arg": want}, &got); err != nil {
				errs <- err
			} else if got != want {
				errs <- fmt.Errorf("asked %s, got %s", want, got)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	queues, _ := topology(t, e) // fails if there is more than one reply queue
	if _, ok := queues["reply_*"]; !ok {
		t.Errorf("no reply queue: %v", queues)
	}
}

// No server takes the call: the typed timeout names the message id.
func TestCallTimesOutWithMessageID(t *testing.T) {
	e := newEnv(t)
	c := e.client(oslo.ClientOptions{Timeout: 300 * time.Millisecond})
	err := c.Call(t.Context(), "test", oslo.Args{"arg": "x"}, nil)
	var timeout *oslo.MessagingTimeout
	if !errors.As(err, &timeout) {
		t.Fatalf("err = %v, want *MessagingTimeout", err)
	}
	if len(timeout.MsgID) != 32 || timeout.Timeout != 300*time.Millisecond {
		t.Errorf("timeout = %+v, want a 32-hex message id and 300ms", timeout)
	}
	if want := "Timed out waiting for a reply to message ID " + timeout.MsgID; !strings.Contains(err.Error(), want) {
		t.Errorf("message %q does not contain %q", err, want)
	}
	// Prepare overrides the timeout per call: the error says which one
	// fired.
	start := time.Now()
	err = c.Prepare(oslo.Prepare{Timeout: 100 * time.Millisecond}).Call(t.Context(), "test", nil, nil)
	if !errors.As(err, &timeout) || timeout.Timeout != 100*time.Millisecond {
		t.Errorf("prepared timeout: err = %v", err)
	}
	t.Logf("the call with a 100ms timeout returned after %v", time.Since(start))
}

// A transport without options has oslo's defaults.
func TestTransportDefaultsAreOslos(t *testing.T) {
	tr, err := oslo.NewTransport("rabbit://guest:guest@127.0.0.1:5672/", oslo.TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := tr.Options().ResponseTimeout; got != 60*time.Second {
		t.Errorf("default response timeout = %v, want 60s", got)
	}
	if got := tr.Options().ControlExchange; got != "openstack" {
		t.Errorf("default control exchange = %q, want openstack", got)
	}
	o := tr.Options()
	if o.RetryInterval != time.Second || o.MaxRetryInterval != 30*time.Second || o.ConnectAttempts != 10 {
		t.Errorf("default retries: first delay %v, at most %v, %d attempts; want 1s, 30s, 10",
			o.RetryInterval, o.MaxRetryInterval, o.ConnectAttempts)
	}
}
