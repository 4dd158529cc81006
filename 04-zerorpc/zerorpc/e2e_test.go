// End-to-end tests, Go client against Go server over real sockets.

package zerorpc_test

import (
	"context"
	"errors"
	"net"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// A calculator adapts a [zerorpc.Client] to the course's one calculator
// specification.
type calculator struct{ c *zerorpc.Client }

func (a calculator) do(ctx context.Context, m string, x, y int) (int, error) {
	var r int
	err := a.c.CallInto(ctx, &r, m, x, y)
	return r, err
}
func (a calculator) Add(ctx context.Context, x, y int) (int, error) { return a.do(ctx, "add", x, y) }
func (a calculator) Subtract(ctx context.Context, x, y int) (int, error) {
	return a.do(ctx, "subtract", x, y)
}
func (a calculator) Multiply(ctx context.Context, x, y int) (int, error) {
	return a.do(ctx, "multiply", x, y)
}
func (a calculator) Divide(ctx context.Context, x, y int) (int, error) {
	return a.do(ctx, "divide", x, y)
}

func TestCalculatorSpecification(t *testing.T) {
	s, err := calc.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	calctest.Run(t, calculator{dial(t, serve(t, s).Endpoint())})
}

func TestCallReturnsPlainGoValues(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	ctx := t.Context()
	tests := []struct {
		method string
		args   []any
		want   any
	}{
		{"add", []any{2, 3}, int64(5)},
		{"add", []any{-7, 2}, int64(-5)},
		{"echo", []any{"Jé"}, "Jé"},
		{"echo", []any{[]byte{0, 1}}, []byte{0, 1}},
		{"echo", []any{1.5}, 1.5},
		{"echo", []any{true}, true},
		{"echo", []any{nil}, nil},
		{"echo", []any{[]any{1, "a"}}, []any{int64(1), "a"}},
		{"echo", []any{map[string]any{"k": 1}}, map[string]any{"k": int64(1)}},
		{"nothing", nil, nil},
		{"concat", []any{"a", "b", "c"}, "abc"},
		{"concat", nil, ""},
	}
	for _, tt := range tests {
		got, err := c.Call(ctx, tt.method, tt.args...)
		if err != nil || !reflect.DeepEqual(got, tt.want) {
			t.Errorf("%s%v = %#v, %v; want %#v", tt.method, tt.args, got, err, tt.want)
		}
	}
	var sum int
	if err := c.CallInto(ctx, &sum, "add", 40, 2); err != nil || sum != 42 {
		t.Errorf("CallInto add = %d, %v", sum, err)
	}
}

// Every failure comes back as a typed RemoteError, and the server
// keeps serving.
func TestRemoteErrorsArriveAsRemoteError(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	ctx := t.Context()
	tests := []struct {
		method string
		args   []any
		name   string
		msg    string
	}{
		{"nosuch", nil, "NameError", "nosuch"},
		{"fail", []any{"it broke"}, "Error", "it broke"},
		{"boom", nil, "RuntimeError", "boom() panicked: boom"},
		{"add", []any{1}, "TypeError", "add() takes 2 positional arguments but 1 were given"},
		{"add", []any{"1", 2}, "TypeError", ""},
		{"bad_result", nil, "TypeError", ""},
		{"_zerorpc_help", []any{"nosuch"}, "KeyError", "'nosuch'"},
	}
	for _, tt := range tests {
		_, err := c.Call(ctx, tt.method, tt.args...)
		var re *zerorpc.RemoteError
		if !errors.As(err, &re) || re.Name != tt.name || (tt.msg != "" && re.Message != tt.msg) {
			t.Errorf("%s%v: got %v, want %s: %s", tt.method, tt.args, err, tt.name, tt.msg)
			continue
		}
		if re.Traceback != "" || re.Error() != re.Name+": "+re.Message {
			t.Errorf("%s: traceback %q, Error() %q", tt.method, re.Traceback, re.Error())
		}
	}
	if got, err := c.Call(ctx, "add", 1, 1); err != nil || got != int64(2) {
		t.Errorf("after errors: add = %v, %v", got, err)
	}
}

func TestStreamMoreThanCreditWindow(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	for _, method := range []string{"count", "count_chan"} {
		n := 0
		for item, err := range c.Stream(t.Context(), method, 250) {
			if err != nil {
				t.Fatalf("%s: item %d: %v", method, n, err)
			}
			if item != int64(n) {
				t.Fatalf("%s: item %d = %v", method, n, item)
			}
			n++
		}
		if n != 250 {
			t.Errorf("%s: %d items, want 250", method, n)
		}
	}
	// Call on a stream collects the items.
	got, err := c.Call(t.Context(), "count", 3)
	if err != nil || !reflect.DeepEqual(got, []any{int64(0), int64(1), int64(2)}) {
		t.Errorf("Call(count, 3) = %#v, %v", got, err)
	}
	// An empty stream is just STREAM_DONE.
	for item, err := range c.Stream(t.Context(), "count", 0) {
		t.Errorf("count(0) yielded %v, %v", item, err)
	}
}

func TestStreamEndsWithRemoteError(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	var items []any
	var last error
	for item, err := range c.Stream(t.Context(), "count_then_fail", 120) {
		if err != nil {
			last = err
			break
		}
		items = append(items, item)
	}
	var re *zerorpc.RemoteError
	if len(items) != 120 || !errors.As(last, &re) || re.Name != "ValueError" {
		t.Errorf("got %d items then %v", len(items), last)
	}
}

// The server sends one item, then waits for _zpc_more credit.
func TestStreamWaitsForCredit(t *testing.T) {
	p := newRawPeer(t, startServer(t, &testService{}).Endpoint())
	id := zerorpc.MessageID{Value: "00000001aaaaaaaaaaaaaaaaaaaaaaaa"}
	p.send(t, request(id, "count", 250))
	if ev := p.expect(t); ev == nil || ev.Name != "STREAM" {
		t.Fatalf("first event = %+v, want STREAM", ev)
	}
	p.none(t, 300*time.Millisecond)
	p.send(t, onChannel(zerorpc.MessageID{Value: "2"}, id, "_zpc_more", []any{10}))
	for i := range 10 {
		if ev := p.expect(t); ev == nil || ev.Name != "STREAM" {
			t.Fatalf("item %d after credit = %+v", i, ev)
		}
	}
	p.none(t, 300*time.Millisecond)
	p.send(t, onChannel(zerorpc.MessageID{Value: "3"}, id, "_zpc_more", []any{1000}))
	n := 0
	for {
		ev := p.expect(t)
		if ev == nil {
			t.Fatalf("stream stopped after %d more items", n)
		}
		if ev.Name == "STREAM_DONE" {
			break
		}
		n++
	}
	if n != 250-11 {
		t.Errorf("got %d items after the second grant, want %d", n, 250-11)
	}
}

func TestIntrospectionAnswersAsPythonDoes(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	ctx := t.Context()
	call := func(method string, args ...any) any {
		t.Helper()
		v, err := c.Call(ctx, method, args...)
		if err != nil {
			t.Fatalf("%s: %v", method, err)
		}
		return v
	}
	if got := call("_zerorpc_ping"); !reflect.DeepEqual(got, []any{"pong", "test"}) {
		t.Errorf("ping = %#v", got)
	}
	if got := call("_zerorpc_name"); got != "test" {
		t.Errorf("name = %#v", got)
	}
	want := []any{"add", "bad_result", "boom", "concat", "count", "count_chan",
		"count_then_fail", "echo", "fail", "gather", "nothing", "sleep", "wait_ctx"}
	if got := call("_zerorpc_list"); !reflect.DeepEqual(got, want) {
		t.Errorf("list = %#v", got)
	}
	if got := call("_zerorpc_help", "add"); got != "Add two numbers.\n\nReturns x + y." {
		t.Errorf("help(add) = %#v", got)
	}
	if got := call("_zerorpc_help", "echo"); got != nil {
		t.Errorf("help(echo) = %#v, want nil", got)
	}
	if got := call("_zerorpc_args", "add"); !reflect.DeepEqual(got, []any{[]any{"x", "y"}, nil, nil, nil}) {
		t.Errorf("args(add) = %#v", got)
	}
	if got := call("_zerorpc_args", "concat"); !reflect.DeepEqual(got, []any{[]any{}, "arg0", nil, nil}) {
		t.Errorf("args(concat) = %#v", got)
	}
	got := call("_zerorpc_inspect").(map[string]any)
	methods := got["methods"].(map[string]any)
	add := methods["add"].(map[string]any)
	if got["name"] != "test" || len(methods) != len(want) ||
		!reflect.DeepEqual(add["args"], []any{map[string]any{"name": "x"}, map[string]any{"name": "y"}}) ||
		add["doc"] != "Add two numbers.\n\nReturns x + y." {
		t.Errorf("inspect = %#v", got)
	}
}

// Calls from many goroutines share one connection and run at the same
// time on the server. Proved by counting, not by a stopwatch: each
// call waits inside the server until all n are there, which only
// happens if the server runs them at once (one at a time, the first
// would wait forever and time out).
func TestCallsFromManyGoroutinesRunConcurrentlyOnOneConnection(t *testing.T) {
	const n = 8
	svc := &testService{}
	c := dial(t, startServer(t, svc).Endpoint())
	ctx := t.Context()
	start := time.Now()
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			if v, err := c.Call(ctx, "gather", n); err != nil || v != int64(n) {
				t.Errorf("gather(%d) = %v, %v", n, v, err)
			}
		})
	}
	wg.Wait()
	t.Logf("%d calls that wait for each other took %s", n, time.Since(start).Round(time.Millisecond))
	if got := svc.maxInFlight.Load(); got != n {
		t.Errorf("at most %d calls in flight at once, want %d", got, n)
	}
	// Many quick calls: every answer reaches its own caller.
	for i := range 200 {
		wg.Go(func() {
			if v, err := c.Call(ctx, "add", i, 1000); err != nil || v != int64(i+1000) {
				t.Errorf("add(%d, 1000) = %v, %v", i, v, err)
			}
		})
	}
	wg.Wait()
}

// A call without an answer within the client's timeout fails with a
// [zerorpc.TimeoutError]; the late reply is dropped.
func TestCallTimesOutAndTheClientGoesOn(t *testing.T) {
	s := startServer(t, &testService{})
	c := dial(t, s.Endpoint(), zerorpc.Dialer{Timeout: 200 * time.Millisecond})
	_, err := c.Call(t.Context(), "sleep", 1000)
	var te *zerorpc.TimeoutError
	if !errors.As(err, &te) || te.Method != "sleep" || te.After != 200*time.Millisecond {
		t.Fatalf("got %v, want a TimeoutError", err)
	}
	if err.Error() != "timeout after 200ms, when calling remote method sleep" {
		t.Errorf("message %q", err)
	}
	// The client still works, and the late reply is dropped.
	if v, err := c.Call(t.Context(), "add", 1, 2); err != nil || v != int64(3) {
		t.Errorf("after timeout: %v, %v", v, err)
	}
	// A context deadline ends a call too.
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := c.Call(ctx, "sleep", 1000); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("ctx deadline: got %v", err)
	}
}

// A call lasting ten heartbeat intervals (2 s at 200 ms: a 20 s call at
// Python's 5 s, scaled down) succeeds because both sides keep
// heartbeating the open channel; silence of two intervals would kill it.
func TestHeartbeatsKeepLongCallAlive(t *testing.T) {
	const hb = 200 * time.Millisecond
	c := dial(t, startServer(t, &testService{}, heartbeat(hb)).Endpoint(), zerorpc.Dialer{Heartbeat: hb})
	if v, err := c.Call(t.Context(), "sleep", 2000); err != nil || v != "slept" {
		t.Fatalf("sleep(2000) = %v, %v", v, err)
	}
}

// A server that reads calls and never answers nor heartbeats: the
// client declares it lost after twice the interval (three before any
// event), and the call ends with a [zerorpc.LostRemoteError].
func TestClientDeclaresASilentServerLost(t *testing.T) {
	endpoint := startSilentRouter(t)
	c := dial(t, endpoint, zerorpc.Dialer{Heartbeat: 100 * time.Millisecond})
	start := time.Now()
	_, err := c.Call(t.Context(), "anything")
	var lost *zerorpc.LostRemoteError
	if !errors.As(err, &lost) || lost.Silent < 300*time.Millisecond {
		t.Fatalf("got %v, want a LostRemoteError after ≥ 300ms", err)
	}
	t.Logf("lost remote noticed after %s", time.Since(start).Round(time.Millisecond))
}

// When the client goes silent mid-call, the server cancels the call's
// context with a [zerorpc.LostRemoteError] and frees the channel.
func TestServerDropsCallOfLostClient(t *testing.T) {
	svc := &testService{}
	s := startServer(t, svc, heartbeat(100*time.Millisecond))
	p := newRawPeer(t, s.Endpoint())
	p.send(t, request(zerorpc.MessageID{Value: "silent-client-1"}, "wait_ctx"))
	waitFor(t, "the call to be cancelled", func() bool { return len(svc.cancelCauses()) > 0 })
	causes := svc.cancelCauses()
	var lost *zerorpc.LostRemoteError
	if len(causes) != 1 || !errors.As(causes[0], &lost) {
		t.Fatalf("cancel causes = %v, want one LostRemoteError", causes)
	}
	p.none(t, 300*time.Millisecond)
}

func TestCloseFailsCallsInProgress(t *testing.T) {
	c := dial(t, startServer(t, &testService{}).Endpoint())
	errc := make(chan error, 1)
	go func() {
		_, err := c.Call(context.Background(), "sleep", 5000)
		errc <- err
	}()
	time.Sleep(100 * time.Millisecond)
	c.Close()
	if err := <-errc; !errors.Is(err, zerorpc.ErrClosed) {
		t.Errorf("got %v, want ErrClosed", err)
	}
	if _, err := c.Call(context.Background(), "add", 1, 2); !errors.Is(err, zerorpc.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}

// Shutdown lets a call in flight finish and answer, refuses to serve
// again, and Serve returns ErrServerClosed. A connection that never
// finished its handshake does not hold Close up.
func TestShutdownLetsCallsInFlightFinish(t *testing.T) {
	svc := &testService{}
	s := &zerorpc.Server{Name: "test", ErrorLog: quiet(t)}
	if err := s.Register(svc); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- s.Serve(ln) }()
	endpoint := "tcp://" + ln.Addr().String()
	mute, err := net.Dial("tcp", ln.Addr().String()) // says nothing, ever
	if err != nil {
		t.Fatal(err)
	}
	defer mute.Close()
	c := dial(t, endpoint)
	answer := make(chan any, 1)
	go func() {
		v, err := c.Call(t.Context(), "gather", 2)
		if err != nil {
			v = err
		}
		answer <- v
	}()
	waitFor(t, "the call to be in flight", func() bool { return svc.inFlight.Load() == 1 })
	shut := make(chan error, 1)
	go func() { shut <- s.Shutdown(t.Context()) }()
	if err := <-served; !errors.Is(err, zerorpc.ErrServerClosed) {
		t.Errorf("Serve returned %v, want ErrServerClosed", err)
	}
	// The call is still in flight; release it (gather waits until it
	// has counted two).
	svc.maxInFlight.Store(2)
	if v := <-answer; v != int64(2) {
		t.Errorf("the call in flight answered %v, want 2", v)
	}
	if err := <-shut; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := s.Serve(ln); !errors.Is(err, zerorpc.ErrServerClosed) {
		t.Errorf("Serve after Shutdown returned %v", err)
	}
}
