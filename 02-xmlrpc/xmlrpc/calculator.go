// The article's Python server registers an instance of a calculate
// class; its methods become remote methods. [Calculator] is that class
// in Go, plus the hello method of the article's threaded example.

package xmlrpc

import (
	"context"
	"errors"
	"time"
)

// ErrDivisionByZero carries the words Python uses for 2 // 0, so a
// client sees the same fault text from either server.
var ErrDivisionByZero = errors.New("integer division or modulo by zero")

// Calculator is registered with RegisterInstance, which publishes
// Add as add and so on.
//
// The params are int32 because XML-RPC's <int> is 32 bits: a
// bigger number is refused as an invalid param. The results are
// int64 so that add(2147483647, 1) is computed exactly and then
// refused by the encoder ("exceeds XML-RPC limits", as Python says)
// instead of silently wrapping around.
type Calculator struct{}

// Add returns x + y.
func (Calculator) Add(x, y int32) int64 { return int64(x) + int64(y) }

// Multiply returns x * y.
func (Calculator) Multiply(x, y int32) int64 { return int64(x) * int64(y) }

// Subtract returns |x - y|, as the article's abs(x-y) does.
func (Calculator) Subtract(x, y int32) int64 {
	d := int64(x) - int64(y)
	if d < 0 {
		d = -d
	}
	return d
}

// Divide is integer division rounding down, like Python's //
// (the article's Python 2 x/y on ints): divide(2, 3) is 0 and
// divide(-7, 2) is -4, where Go's / would give -3.
func (Calculator) Divide(x, y int32) (int64, error) {
	if y == 0 {
		return 0, ErrDivisionByZero
	}
	q := int64(x) / int64(y)
	if (int64(x)%int64(y) != 0) && ((x < 0) != (y < 0)) {
		q--
	}
	return q, nil
}

// Hello is the article's MyObject.hello.
func (Calculator) Hello() string { return "hello xmlrpc" }

// calculatorHelp is what system.methodHelp answers; Python would
// read the methods' docstrings, which Go cannot see at run time.
var calculatorHelp = map[string]string{
	"add":      "add(x, y) returns x + y.",
	"multiply": "multiply(x, y) returns x * y.",
	"subtract": "subtract(x, y) returns |x - y|.",
	"divide":   "divide(x, y) returns x // y (rounding down); y = 0 is a fault.",
	"hello":    "hello() returns a greeting.",
	"sleep":    "sleep(ms) waits ms milliseconds (at most 5000) and returns ms.",
}

// MaxSleep caps [Sleep], in milliseconds.
const MaxSleep = 5000

// Sleep waits ms milliseconds and returns ms. It is the slow method
// that shows the difference between the two server modes: N parallel
// sleep(300) calls take about N×300 ms on a single-threaded server and
// about 300 ms on a concurrent one.
//
// It respects its context: it returns early, with an error, if the
// client goes away, and it refuses at once a sleep that would outlast
// the request's deadline (the server's RequestTimeout), so the sleeps
// of one system.multicall cannot add up to more than that.
func Sleep(ctx context.Context, ms int32) (int32, error) {
	if ms < 0 || ms > MaxSleep {
		return 0, faultf(CodeInvalidParams, "sleep: ms must be 0..%d", MaxSleep)
	}
	d := time.Duration(ms) * time.Millisecond
	if deadline, ok := ctx.Deadline(); ok && time.Until(deadline) < d {
		return 0, faultf(CodeSystemError, "sleep(%d) would run past the request's time limit", ms)
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return ms, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}
