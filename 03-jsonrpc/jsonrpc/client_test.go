package jsonrpc

import (
	"context"
	"errors"
	"net"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// Both server styles are the same service on the wire: the course's
// calculator specification passes against each.
func TestCalculatorSpecBothStyles(t *testing.T) {
	url := startServer(t, &HTTPServer{Handler: calcMux()})
	t.Run("jsonrpclib style at /", func(t *testing.T) {
		calctest.Run(t, calculator{NewClient(url+"/", nil)})
	})
	t.Run("python-jsonrpc style at /jsonrpc", func(t *testing.T) {
		calctest.Run(t, calculator{NewClient(url+"/jsonrpc", nil)})
	})
}

func TestCallByNameNeedsRegisteredNames(t *testing.T) {
	url := startServer(t, &HTTPServer{Handler: calcMux()})
	c := NewClient(url+"/", nil)
	var r int
	if err := c.Call(t.Context(), "subtract", map[string]int{"y": 10, "x": 4}, &r); err != nil {
		t.Fatal(err)
	}
	if r != 6 {
		t.Errorf("subtract(x=4, y=10) = %d, want 6", r)
	}
	// The handler style has no names unless given.
	h := NewClient(url+"/jsonrpc", nil)
	err := h.Call(t.Context(), "add", map[string]int{"a": 1, "b": 2}, &r)
	assertCode(t, err, CodeInvalidParams)
}

// A method's *Error reaches the caller with its code and data, and
// errors.As finds it.
func TestApplicationErrorReachesTheCallerWithItsData(t *testing.T) {
	url := startServer(t, &HTTPServer{Handler: calcMux()})
	c := NewClient(url+"/", nil)
	var r int
	err := c.Call(t.Context(), "divide", []int{7, 0}, &r)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	want := map[string]any{"dividend": 7.0, "divisor": 0.0}
	if e.Code != CodeDivisionByZero || e.Message != "division by zero" ||
		!reflect.DeepEqual(e.Data, want) {
		t.Errorf("got %#v", e)
	}
}

func TestNotifyRunsTheMethodAndGetsNoAnswer(t *testing.T) {
	got := make(chan string, 1)
	s := NewServer()
	if err := s.RegisterFunction("log", func(m string) { got <- m }); err != nil {
		t.Fatal(err)
	}
	url := startServer(t, &HTTPServer{Handler: s})
	c := NewClient(url, nil)
	if err := c.Notify(t.Context(), "log", []string{"hi"}); err != nil {
		t.Fatal(err)
	}
	if m := <-got; m != "hi" {
		t.Errorf("server got %q", m)
	}
	// A notification is never answered, not even with an error.
	if err := c.Notify(t.Context(), "no.such.method", nil); err != nil {
		t.Errorf("notify of a missing method: %v", err)
	}
}

func TestBatchMatchesEachAnswerToItsCall(t *testing.T) {
	got := make(chan string, 2)
	s := NewFunctionServer()
	if err := s.RegisterFunction("log", func(m string) { got <- m }); err != nil {
		t.Fatal(err)
	}
	url := startServer(t, &HTTPServer{Handler: s})
	c := NewClient(url, nil)
	ctx := t.Context()

	t.Run("mixed", func(t *testing.T) {
		var sum, prod int
		b := []BatchElem{
			{Method: "add", Params: []int{1, 2}, Result: &sum},
			{Method: "log", Params: []string{"in a batch"}, Notify: true},
			{Method: "multiply", Params: map[string]int{"x": 3, "y": 4}, Result: &prod},
			{Method: "divide", Params: []int{1, 0}},
			{Method: "nope"},
		}
		if err := c.Batch(ctx, b); err != nil {
			t.Fatal(err)
		}
		if sum != 3 || prod != 12 || b[0].Error != nil || b[2].Error != nil {
			t.Errorf("sum=%d prod=%d errors %v %v", sum, prod, b[0].Error, b[2].Error)
		}
		assertCode(t, b[3].Error, CodeDivisionByZero)
		assertCode(t, b[4].Error, CodeMethodNotFound)
		if m := <-got; m != "in a batch" {
			t.Errorf("notification got %q", m)
		}
	})
	t.Run("all notifications", func(t *testing.T) {
		b := []BatchElem{{Method: "log", Params: []string{"only"}, Notify: true}}
		if err := c.Batch(ctx, b); err != nil {
			t.Fatal(err)
		}
		if m := <-got; m != "only" {
			t.Errorf("notification got %q", m)
		}
	})
	t.Run("empty", func(t *testing.T) {
		err := c.Batch(ctx, nil)
		assertCode(t, err, CodeInvalidRequest)
	})
}

func TestClientReportsEachKindOfFailureAsItsOwnError(t *testing.T) {
	slow := NewServer()
	if err := slow.RegisterFunction("sleep", func(ctx context.Context) {
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
		}
	}); err != nil {
		t.Fatal(err)
	}
	mux := calcMux()
	mux.Handle("/slow", slow)
	url := startServer(t, &HTTPServer{Handler: mux})

	t.Run("params that are not structured", func(t *testing.T) {
		c := NewClient(url+"/", nil)
		err := c.Call(t.Context(), "add", 5, nil)
		if err == nil || !strings.Contains(err.Error(), "must be a slice") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("wrong path is an HTTPError", func(t *testing.T) {
		c := NewClient(url+"/nowhere", nil)
		err := c.Call(t.Context(), "add", []int{1, 2}, nil)
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != http.StatusNotFound {
			t.Errorf("got %v", err)
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		c := NewClient(url+"/slow", nil)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := c.Call(ctx, "sleep", nil, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want a deadline error", err)
		}
	})
	t.Run("server gone", func(t *testing.T) {
		// A port that was free a moment ago: nobody listens there.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		url := "http://" + ln.Addr().String()
		ln.Close()
		err = NewClient(url+"/", nil).Call(t.Context(), "add", []int{1, 2}, nil)
		if err == nil || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("got %v", err)
		}
	})
}

// assertCode checks that err is an *Error with the given code.
func assertCode(t *testing.T, err error, code int) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("error %v is not an *Error", err)
	}
	if e.Code != code {
		t.Errorf("code %d (%v), want %d", e.Code, e, code)
	}
}
