// Errors are values with the protocol's fields, so callers can
// errors.As them: the remote raised something, the call took too
// long, or the peer stopped sending heartbeats.

package zerorpc

import (
	"errors"
	"fmt"
	"time"
)

// A RemoteError is an ERR event: the exception's class name, its
// message and, from Python, its traceback text. On the server side,
// return one from a method to choose the name a Python caller sees
// (ZeroDivisionError, ValueError, …).
type RemoteError struct {
	Name      string
	Message   string
	Traceback string // "" means none (sent as nil, never as "")
}

// Error is what Python's RemoteError.__str__ gives: the traceback if
// there is one, otherwise "name: message".
func (e *RemoteError) Error() string {
	if e.Traceback != "" {
		return e.Traceback
	}
	return e.Name + ": " + e.Message
}

// A TimeoutError says no answer came within the call's timeout
// (30 s by default, as in Python). A reply arriving later is dropped.
type TimeoutError struct {
	Method string
	After  time.Duration
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("timeout after %s, when calling remote method %s",
		e.After, e.Method)
}

// A LostRemoteError says the peer went silent: no event on the
// channel for more than twice the heartbeat interval, or the
// connection itself closed.
type LostRemoteError struct {
	Method string
	Silent time.Duration // how long we heard nothing; 0 if the connection closed
}

func (e *LostRemoteError) Error() string {
	if e.Silent == 0 {
		return fmt.Sprintf("lost remote while calling %s: connection closed", e.Method)
	}
	return fmt.Sprintf("lost remote after %s of silence, when calling %s",
		e.Silent.Round(time.Millisecond), e.Method)
}

// ErrClosed is returned by calls on a closed [Client].
var ErrClosed = errors.New("zerorpc: closed")
