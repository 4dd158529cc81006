// How errors cross the wire. An oslo.messaging server that fails sends a
// "failure": a JSON *string* describing the Python exception:
//
//	{"class": "ValueError", "module": "builtins", "message": "...",
//	 "tb": ["Traceback ...\n", ...], "args": ["..."], "kwargs": {}}
//
// A Python client rebuilds exceptions of module builtins (so a
// ValueError raised remotely is raised again locally) and turns any
// other into [RemoteError]. Our client returns every failure as a
// *RemoteError with those fields.

package oslo

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// A Failure is the failure JSON. An endpoint method that returns a
// *Failure (or wraps one) chooses the class and module its caller sees,
// e.g. oslo.Builtin("ValueError", "x must be positive") for a Python
// caller to get a real ValueError.
type Failure struct {
	Class     string         `json:"class"`
	Module    string         `json:"module"`
	Message   string         `json:"message"`
	Traceback []string       `json:"tb"`
	Args      []any          `json:"args"`
	Kwargs    map[string]any `json:"kwargs"`
}

func (f *Failure) Error() string {
	return fmt.Sprintf("%s.%s: %s", f.Module, f.Class, f.Message)
}

// Builtin is a failure a Python caller re-raises as the built-in
// exception class (ValueError, TypeError, KeyError, ZeroDivisionError…).
func Builtin(class, format string, args ...any) *Failure {
	msg := fmt.Sprintf(format, args...)
	return &Failure{Class: class, Module: "builtins", Message: msg, Args: []any{msg}}
}

// marshal writes the failure in oslo's field order, filling what a
// Python client expects (a traceback list, args, kwargs).
func (f *Failure) marshal() ([]byte, error) {
	tb := f.Traceback
	if tb == nil {
		tb = []string{
			"Traceback (most recent call last):\n",
			"  (Go server: no Python frames)\n",
			fmt.Sprintf("%s.%s: %s\n", f.Module, f.Class, f.Message),
		}
	}
	args := f.Args
	if args == nil {
		args = []any{f.Message}
	}
	kwargs := f.Kwargs
	if kwargs == nil {
		kwargs = map[string]any{}
	}
	return pyfmt.JSON(pyfmt.Dict{
		{Key: "class", Value: f.Class}, {Key: "module", Value: f.Module}, {Key: "message", Value: f.Message},
		{Key: "tb", Value: tb}, {Key: "args", Value: args}, {Key: "kwargs", Value: kwargs},
	})
}

// parseFailure reads the failure field of a reply: normally a JSON
// string holding the JSON object; an object is accepted too.
func parseFailure(raw json.RawMessage) (*Failure, error) {
	var text string
	if err := json.Unmarshal(raw, &text); err == nil {
		raw = json.RawMessage(text)
	}
	var f Failure
	if err := unmarshalUseNumber(raw, &f); err != nil {
		return nil, fmt.Errorf("not failure JSON: %v", err)
	}
	if f.Class == "" {
		return nil, fmt.Errorf("failure without a class")
	}
	return &f, nil
}

// failureFrom turns what an endpoint returned into the failure to send:
// a *Failure (or *RemoteError, re-raised) as it is; any other Go error
// under its Go type name and package, which a Python client shows as a
// RemoteError.
func failureFrom(err error) *Failure {
	var f *Failure
	if asFailure(err, &f) {
		return f
	}
	t := reflect.TypeOf(err)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	module := t.PkgPath()
	if module == "" {
		module = "go"
	}
	return &Failure{Class: t.Name(), Module: module, Message: err.Error()}
}

// RemoteError is what a call returns when the server failed: the
// failure's fields, so callers can errors.As it and look at Class.
type RemoteError struct {
	Failure
}

func (e *RemoteError) Error() string {
	return fmt.Sprintf("remote error: %s %s", e.Class, e.Message)
}

// Unwrap lets errors.As(err, &*Failure) see the failure, so a server
// that calls another server can pass a failure on unchanged.
func (e *RemoteError) Unwrap() error { return &e.Failure }

// NoSuchMethod is the dispatcher's answer when compatible endpoints
// exist but none has the method.
type NoSuchMethod struct{ Method string }

func (e *NoSuchMethod) Error() string {
	return "Endpoint does not support RPC method " + e.Method
}

// UnsupportedVersion is the dispatcher's answer when no endpoint has the
// namespace and a compatible version.
type UnsupportedVersion struct{ Version, Method string }

func (e *UnsupportedVersion) Error() string {
	msg := "Endpoint does not support RPC version " + e.Version
	if e.Method != "" {
		msg += ". Attempted method: " + e.Method
	}
	return msg
}

const dispatcherModule = "oslo_messaging.rpc.dispatcher"

// MessagingTimeout is a call that got no answer in time. It names the
// message id, which the server logs too.
type MessagingTimeout struct {
	MsgID   string
	Timeout time.Duration
}

func (e *MessagingTimeout) Error() string {
	return fmt.Sprintf("Timed out waiting for a reply to message ID %s (after %s)", e.MsgID, e.Timeout)
}

// asFailure finds a failure in an error chain, also in the dispatcher's
// own errors.
func asFailure(err error, dst **Failure) bool {
	for e := err; e != nil; {
		switch v := e.(type) {
		case *Failure:
			*dst = v
			return true
		case *RemoteError:
			f := v.Failure
			*dst = &f
			return true
		case *NoSuchMethod:
			*dst = &Failure{Class: "NoSuchMethod", Module: dispatcherModule, Message: v.Error()}
			return true
		case *UnsupportedVersion:
			*dst = &Failure{Class: "UnsupportedVersion", Module: dispatcherModule, Message: v.Error()}
			return true
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}

// IsRemote reports whether err is a remote failure of the given class,
// e.g. oslo.IsRemote(err, "NoSuchMethod").
func IsRemote(err error, class string) bool {
	for e := err; e != nil; {
		if r, ok := e.(*RemoteError); ok {
			return r.Class == class || strings.TrimSuffix(r.Class, "_Remote") == class
		}
		u, ok := e.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		e = u.Unwrap()
	}
	return false
}
