package xmlrpc_test

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// wantFault checks err is a *Fault with code whose text holds text.
func wantFault(t *testing.T, err error, code int, text string) {
	t.Helper()
	var f *xmlrpc.Fault
	if !errors.As(err, &f) {
		t.Fatalf("got %v, want fault %d", err, code)
	}
	if f.Code != code || !strings.Contains(f.String, text) {
		t.Errorf("got fault %d %q, want %d containing %q", f.Code, f.String, code, text)
	}
}

// Every way a call can fail reaches the client as a typed fault, and
// the server keeps serving afterwards.
func TestEveryFailureReachesTheClientAsATypedFault(t *testing.T) {
	_, c := start(t, func(s *xmlrpc.Server) {
		_ = s.RegisterFunction("boom", func() int { panic("kaboom") })
		_ = s.RegisterFunction("own", func() error { return &xmlrpc.Fault{Code: 42, String: "my own fault"} })
		_ = s.RegisterFunction("plain", func() error { return errors.New("plain error") })
	})
	ctx := t.Context()
	cases := []struct {
		method string
		params []any
		code   int
		text   string
	}{
		{"divide", []any{1, 0}, xmlrpc.CodeApplicationErr, "integer division or modulo by zero"},
		{"nosuch", nil, xmlrpc.CodeMethodNotFound, `method "nosuch" is not supported`},
		{"add", []any{1}, xmlrpc.CodeInvalidParams, "add takes 2 params, got 1"},
		{"add", []any{1, 2, 3}, xmlrpc.CodeInvalidParams, "add takes 2 params, got 3"},
		{"add", []any{"a", 1}, xmlrpc.CodeInvalidParams, "param 1: cannot use string as int32"},
		{"add", []any{1.5, 1}, xmlrpc.CodeInvalidParams, "param 1: cannot use double as int32"},
		{"add", []any{nil, 1}, xmlrpc.CodeInvalidParams, "param 1: cannot use nil as int32"},
		{"add", []any{map[string]any{}, 1}, xmlrpc.CodeInvalidParams, "param 1: cannot use struct as int32"},
		{"add", []any{2147483647, 1}, xmlrpc.CodeInternalError, "exceeds XML-RPC limits"},
		{"sleep", []any{-1}, xmlrpc.CodeInvalidParams, "ms must be"},
		{"boom", nil, xmlrpc.CodeInternalError, "boom: method panicked: kaboom"},
		{"own", nil, 42, "my own fault"},
		{"plain", nil, xmlrpc.CodeApplicationErr, "plain error"},
		{"system.methodHelp", []any{"nosuch"}, xmlrpc.CodeMethodNotFound, "nosuch"},
	}
	for _, cs := range cases {
		_, err := c.Call(ctx, cs.method, cs.params...)
		wantFault(t, err, cs.code, cs.text)
	}
	// Still alive after all that.
	if n, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3); err != nil || n != 5 {
		t.Errorf("add(2, 3) after faults = %d, %v", n, err)
	}
}

func TestHelloAnswersTheArticlesGreeting(t *testing.T) {
	_, c := start(t)
	if s, err := xmlrpc.CallAs[string](t.Context(), c, "hello"); err != nil || s != "hello xmlrpc" {
		t.Errorf("hello() = %q, %v", s, err)
	}
}

// Every value type crosses the wire both ways through echo.
func TestEveryValueTypeCrossesTheWireThroughEcho(t *testing.T) {
	_, c := start(t, inMode(xmlrpc.Concurrent))
	when := time.Date(1998, 7, 17, 14, 8, 55, 0, time.UTC)
	for _, v := range []any{
		7, true, "a < b & c", "", 2.5, when, []byte("\x00\xff"), nil,
		[]any{1, "x", []any{}}, map[string]any{"k": map[string]any{"n": nil}},
	} {
		got, err := c.Call(t.Context(), "echo", v)
		if err != nil || !reflect.DeepEqual(got, v) {
			t.Errorf("echo(%#v) = %#v, %v", v, got, err)
		}
	}
}

func TestSystemMethodsDescribeTheServer(t *testing.T) {
	_, c := start(t)
	ctx := t.Context()

	names, err := xmlrpc.CallAs[[]string](ctx, c, "system.listMethods")
	want := []string{"add", "divide", "echo", "hello", "multiply", "sleep", "subtract",
		"system.listMethods", "system.methodHelp", "system.methodSignature", "system.multicall"}
	if err != nil || !reflect.DeepEqual(names, want) {
		t.Errorf("listMethods = %v, %v", names, err)
	}

	help, err := xmlrpc.CallAs[string](ctx, c, "system.methodHelp", "divide")
	if err != nil || !strings.Contains(help, "rounding down") {
		t.Errorf("methodHelp(divide) = %q, %v", help, err)
	}

	for method, want := range map[string][][]string{
		"add":                {{"int", "int", "int"}},
		"hello":              {{"string"}},
		"echo":               {{"any", "any"}},
		"system.listMethods": {{"array"}},
		"system.multicall":   {{"array", "array"}},
	} {
		sig, err := xmlrpc.CallAs[[][]string](ctx, c, "system.methodSignature", method)
		if err != nil || !reflect.DeepEqual(sig, want) {
			t.Errorf("methodSignature(%s) = %v, %v; want %v", method, sig, err, want)
		}
	}
}

// One bad call in a multicall spoils only its own slot.
func TestOneBadCallInAMulticallSpoilsOnlyItsOwnSlot(t *testing.T) {
	_, c := start(t)
	res, err := c.Multicall(t.Context(),
		xmlrpc.MulticallEntry{Method: "add", Params: []any{2, 3}},
		xmlrpc.MulticallEntry{Method: "divide", Params: []any{1, 0}},
		xmlrpc.MulticallEntry{Method: "hello"},
		xmlrpc.MulticallEntry{Method: "system.multicall", Params: []any{[]any{}}},
		xmlrpc.MulticallEntry{Method: "add", Params: []any{2147483647, 1}},
		xmlrpc.MulticallEntry{Method: "nosuch"},
	)
	if err != nil {
		t.Fatal(err)
	}
	if res[0].Value != 5 || res[0].Fault != nil {
		t.Errorf("add: %+v", res[0])
	}
	if res[1].Fault == nil || res[1].Fault.Code != xmlrpc.CodeApplicationErr {
		t.Errorf("divide: %+v", res[1])
	}
	if res[2].Value != "hello xmlrpc" {
		t.Errorf("hello: %+v", res[2])
	}
	if res[3].Fault == nil || !strings.Contains(res[3].Fault.String, "nested") {
		t.Errorf("nested: %+v", res[3])
	}
	if res[4].Fault == nil || res[4].Fault.Code != xmlrpc.CodeInternalError {
		t.Errorf("overflow: %+v", res[4])
	}
	if res[5].Fault == nil || res[5].Fault.Code != xmlrpc.CodeMethodNotFound {
		t.Errorf("nosuch: %+v", res[5])
	}

	// Entries that are not {methodName, params} structs are faults too.
	raw, err := c.Call(t.Context(), "system.multicall", []any{"add", map[string]any{"params": []any{}}})
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range raw.([]any) {
		if m, ok := r.(map[string]any); !ok || m["faultCode"] != xmlrpc.CodeInvalidParams {
			t.Errorf("entry %d: %#v", i, r)
		}
	}
}

// RegisterInstance publishes methods with lower-case names; shapes
// that cannot be called from the wire are refused at registration.
func TestRegisterLowersNamesAndRefusesUncallableShapes(t *testing.T) {
	s := xmlrpc.NewServer()
	for name, fn := range map[string]any{
		"not a func":      42,
		"variadic":        func(xs ...int) int { return 0 },
		"channel arg":     func(c chan int) {},
		"int map":         func(m map[int]int) {},
		"second not err":  func() (int, int) { return 0, 0 },
		"three results":   func() (int, int, error) { return 0, 0, nil },
		"func result":     func() func() { return nil },
		"complex arg":     func(c complex128) {},
		"struct with fn":  func(s struct{ F func() }) {},
		"nil func":        (func())(nil),
		"interface arg":   func(e error) {},
		"chan in a slice": func(s []chan int) {},
	} {
		if err := s.RegisterFunction("f", fn); err == nil {
			t.Errorf("%s: registered", name)
		}
	}
	if err := s.RegisterFunction("", func() {}); err == nil {
		t.Error("empty name: registered")
	}
	if err := s.RegisterInstance(struct{}{}); err == nil {
		t.Error("no methods: registered")
	}
	if err := s.SetHelp("nosuch", "x"); err == nil {
		t.Error("SetHelp on a missing method succeeded")
	}
	if err := s.RegisterInstance(&greeter{}); err != nil {
		t.Fatal(err)
	}
	v, err := s.Dispatch(context.Background(), "greetPerson", []any{"Ada"})
	if err != nil || v != "hi Ada" {
		t.Errorf("greetPerson = %v, %v", v, err)
	}
	if _, err := s.Dispatch(context.Background(), "GreetPerson", []any{"Ada"}); err == nil {
		t.Error("the Go name answers too")
	}
	v, err = s.Dispatch(context.Background(), "nothing", nil)
	if err != nil || v != nil {
		t.Errorf("nothing = %v, %v", v, err)
	}
}

type greeter struct{}

func (*greeter) GreetPerson(ctx context.Context, name string) (string, error) {
	return "hi " + name, nil
}
func (*greeter) Nothing() {}

// A method taking a context sees it cancelled when the call ends
// early: Sleep returns the context's error (had it ignored the
// context, it would have slept and returned 5000). And a sleep that
// would outlast the context's deadline is refused before it starts.
func TestSleepStopsWithItsContextAndRefusesToOutlastItsDeadline(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := xmlrpc.Sleep(ctx, 5000); !errors.Is(err, context.Canceled) {
		t.Errorf("got %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithTimeout(t.Context(), time.Second)
	defer cancel()
	_, err := xmlrpc.Sleep(ctx, 5000)
	wantFault(t, err, xmlrpc.CodeSystemError, "time limit")
}

// OnCall sees each request with the fault the client gets, and the
// handler works mounted anywhere (here: httptest, any path).
func TestOnCallSeesEachRequestAndTheHandlerWorksMountedAnywhere(t *testing.T) {
	s := xmlrpc.NewCalculatorServer()
	s.RPCPaths = nil
	type seen struct {
		method string
		result any
		code   int
	}
	var got []seen
	s.OnCall = func(c *xmlrpc.Call, result any, f *xmlrpc.Fault) {
		e := seen{result: result}
		if c != nil {
			e.method = c.Method
		}
		if f != nil {
			e.code = f.Code
		}
		got = append(got, e)
	}
	for _, body := range []string{
		mustEncode(t, "add", 2, 3),
		mustEncode(t, "divide", 1, 0),
		"<broken",
	} {
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/mounted/elsewhere", strings.NewReader(body)))
		if rec.Code != http.StatusOK {
			t.Errorf("status %d", rec.Code)
		}
	}
	want := []seen{
		{"add", int64(5), 0},
		{"divide", nil, xmlrpc.CodeApplicationErr},
		{"", nil, xmlrpc.CodeNotWellFormed},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("OnCall saw %+v, want %+v", got, want)
	}
}

func mustEncode(t *testing.T, method string, params ...any) string {
	t.Helper()
	b, err := xmlrpc.EncodeCall(method, params...)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
