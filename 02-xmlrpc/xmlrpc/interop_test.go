package xmlrpc_test

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// Python's xmlrpc.client.ServerProxy calls the Go server: every
// value type round-trips, faults arrive as xmlrpc.client.Fault with
// our codes, and introspection and MultiCall work.
func TestPythonClientCallsGoServer(t *testing.T) {
	pypeer.Require(t, "xmlrpc.client")
	for _, mode := range []xmlrpc.Mode{xmlrpc.SingleThreaded, xmlrpc.Concurrent} {
		t.Run(mode.String(), func(t *testing.T) {
			r, _ := start(t, inMode(mode))
			out := pypeer.Run(t, t.Context(), "testdata/py_client.py", r.URL())

			lines := strings.Split(strings.TrimSpace(out), "\n")
			echoes := 0
			for _, l := range lines {
				if strings.HasPrefix(l, "ECHO ") {
					echoes++
					if !strings.HasSuffix(l, " ok") {
						t.Errorf("python: %s", l)
					}
				}
			}
			if echoes != 17 {
				t.Errorf("python echoed %d values, want 17", echoes)
			}
			for _, want := range []string{
				"CALL add(2, 3) = 5",
				"CALL multiply(2, 3) = 6",
				"CALL subtract(2, 3) = 1",
				"CALL divide(2, 3) = 0",
				"CALL hello() = 'hello xmlrpc'",
				"FAULT divide -32500 integer division or modulo by zero",
				`FAULT unknown -32601 method "nosuch" is not supported`,
				"FAULT count -32602 add takes 2 params, got 1",
				"FAULT type -32602 add: param 1: cannot use string as int32",
				"FAULT overflow -32603 add: result: int 2147483648 exceeds XML-RPC limits (32 bits)",
				"LIST add divide echo hello multiply sleep subtract system.listMethods system.methodHelp system.methodSignature system.multicall",
				"SIGNATURE [['int', 'int', 'int']]",
				"HELP subtract(x, y) returns |x - y|.",
				"MULTI 0 5",
				"FAULT multi 1 -32500 integer division or modulo by zero",
				"MULTI 2 hello xmlrpc",
				"UNTYPED 200 ('untyped',)",
				"DONE",
			} {
				if !containsLine(lines, want) {
					t.Errorf("python did not print %q; it printed:\n%s", want, out)
				}
			}
		})
	}
}

func containsLine(lines []string, want string) bool {
	for _, l := range lines {
		if l == want {
			return true
		}
	}
	return false
}

// The Go client calls Python's SimpleXMLRPCServer running the
// article's calculate class (testdata/py_server.py).
func TestGoClientCallsPythonServer(t *testing.T) {
	pypeer.Require(t, "xmlrpc.server")
	py := pypeer.Start(t, "testdata/py_server.py")
	addr := strings.TrimPrefix(py.WaitLine(t, "READY ", 30*time.Second), "READY ")
	c := newClient(t, "http://"+addr)

	t.Run("calctest", func(t *testing.T) { calctest.Run(t, calc{c}) })

	t.Run("fault", func(t *testing.T) {
		// Python sends code 1 and names the exception class.
		_, err := c.Call(t.Context(), "divide", 1, 0)
		wantFault(t, err, xmlrpc.CodePythonException, "ZeroDivisionError")
		_, err = c.Call(t.Context(), "nosuch")
		wantFault(t, err, xmlrpc.CodePythonException, `method "nosuch" is not supported`)
	})

	t.Run("echo", func(t *testing.T) {
		when := time.Date(1998, 7, 17, 14, 8, 55, 0, time.UTC)
		type point struct {
			X int     `xmlrpc:"x"`
			Y float64 `xmlrpc:"y"`
		}
		for _, tc := range []struct{ in, want any }{
			{42, 42},
			{-2147483648, -2147483648},
			{true, true},
			{"héllo <&> 中 😀", "héllo <&> 中 😀"},
			// We send CR as &#13;, Python decodes it, but its
			// marshaller writes it back raw, and XML parsers read a
			// raw CR LF as LF: a CR does not survive Python.
			{"line\r\nbreak", "line\nbreak"},
			{"", ""},
			{2.5, 2.5},
			{1e-300, 1e-300},
			{when, when},
			{[]byte{0, 1, 254, 255}, []byte{0, 1, 254, 255}},
			{[]byte{}, []byte{}},
			{nil, nil},
			{[]any{1, "two", []any{}, nil}, []any{1, "two", []any{}, nil}},
			{map[string]any{"a": map[string]any{}, "b": []any{false}}, map[string]any{"a": map[string]any{}, "b": []any{false}}},
			{point{X: 1, Y: 0.5}, map[string]any{"x": 1, "y": 0.5}},
		} {
			got, err := c.Call(t.Context(), "echo", tc.in)
			if err != nil || !reflect.DeepEqual(got, tc.want) {
				t.Errorf("echo(%#v) via Python = %#v, %v", tc.in, got, err)
			}
		}
		var p point
		if err := c.CallInto(t.Context(), &p, "echo", point{X: 3, Y: 1.5}); err != nil || p != (point{3, 1.5}) {
			t.Errorf("echo into struct: %+v, %v", p, err)
		}
	})

	t.Run("introspection", func(t *testing.T) {
		names, err := xmlrpc.CallAs[[]string](t.Context(), c, "system.listMethods")
		if err != nil || !reflect.DeepEqual(names[:4], []string{"add", "divide", "echo", "hello"}) {
			t.Errorf("listMethods = %v, %v", names, err)
		}
		res, err := c.Multicall(t.Context(),
			xmlrpc.MulticallEntry{Method: "add", Params: []any{2, 3}},
			xmlrpc.MulticallEntry{Method: "divide", Params: []any{1, 0}},
		)
		if err != nil || res[0].Value != 5 || res[1].Fault == nil || res[1].Fault.Code != 1 {
			t.Errorf("multicall = %+v, %v", res, err)
		}
	})
}
