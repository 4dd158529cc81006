package jsonrpc

import (
	"context"
	"errors"
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
	srv := startServer(t, calcMux(), Timeouts{})
	t.Run("jsonrpclib style at /", func(t *testing.T) {
		calctest.Run(t, calculator{NewClient(srv.URL()+"/", nil)})
	})
	t.Run("python-jsonrpc style at /jsonrpc", func(t *testing.T) {
		calctest.Run(t, calculator{NewClient(srv.URL()+"/jsonrpc", nil)})
	})
}

func TestCallByName(t *testing.T) {
	srv := startServer(t, calcMux(), Timeouts{})
	c := NewClient(srv.URL()+"/", nil)
	var r int
	if err := c.Call(testContext(t), "subtract", map[string]int{"y": 10, "x": 4}, &r); err != nil {
		t.Fatal(err)
	}
	if r != 6 {
		t.Errorf("subtract(x=4, y=10) = %d, want 6", r)
	}
	// The handler style has no names unless given.
	h := NewClient(srv.URL()+"/jsonrpc", nil)
	err := h.Call(testContext(t), "add", map[string]int{"a": 1, "b": 2}, &r)
	assertCode(t, err, CodeInvalidParams)
}

// A method's `*Error` reaches the caller with its code and data, and
// `errors.As` finds it.
func TestApplicationErrorWithData(t *testing.T) {
	srv := startServer(t, calcMux(), Timeouts{})
	c := NewClient(srv.URL()+"/", nil)
	var r int
	err := c.Call(testContext(t), "divide", []int{7, 0}, &r)
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

func TestNotify(t *testing.T) {
	got := make(chan string, 1)
	s := NewServer()
	if err := s.RegisterFunction("log", func(m string) { got <- m }); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, s, Timeouts{})
	c := NewClient(srv.URL(), nil)
	if err := c.Notify(testContext(t), "log", []string{"hi"}); err != nil {
		t.Fatal(err)
	}
	if m := <-got; m != "hi" {
		t.Errorf("server got %q", m)
	}
	// A notification is never answered, not even with an error.
	if err := c.Notify(testContext(t), "no.such.method", nil); err != nil {
		t.Errorf("notify of a missing method: %v", err)
	}
}

func TestBatch(t *testing.T) {
	got := make(chan string, 2)
	s := NewFunctionServer()
	if err := s.RegisterFunction("log", func(m string) { got <- m }); err != nil {
		t.Fatal(err)
	}
	srv := startServer(t, s, Timeouts{})
	c := NewClient(srv.URL(), nil)
	ctx := testContext(t)

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

func TestClientErrors(t *testing.T) {
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
	srv := startServer(t, mux, Timeouts{})

	t.Run("params that are not structured", func(t *testing.T) {
		c := NewClient(srv.URL()+"/", nil)
		err := c.Call(testContext(t), "add", 5, nil)
		if err == nil || !strings.Contains(err.Error(), "must be a slice") {
			t.Errorf("got %v", err)
		}
	})
	t.Run("wrong path is an HTTPError", func(t *testing.T) {
		c := NewClient(srv.URL()+"/nowhere", nil)
		err := c.Call(testContext(t), "add", []int{1, 2}, nil)
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != http.StatusNotFound {
			t.Errorf("got %v", err)
		}
	})
	t.Run("context deadline", func(t *testing.T) {
		c := NewClient(srv.URL()+"/slow", nil)
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		err := c.Call(ctx, "sleep", nil, nil)
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("got %v, want a deadline error", err)
		}
	})
	t.Run("server gone", func(t *testing.T) {
		gone := startServer(t, calcMux(), Timeouts{})
		url := gone.URL()
		if err := gone.Close(); err != nil {
			t.Fatal(err)
		}
		err := NewClient(url+"/", nil).Call(testContext(t), "add", []int{1, 2}, nil)
		if err == nil || !strings.Contains(err.Error(), "connection refused") {
			t.Errorf("got %v", err)
		}
	})
}

// `assertCode` checks that err is an *Error with the given code.
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
