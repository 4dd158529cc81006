// The specification's own examples (section 7, "Examples", of
// https://www.jsonrpc.org/specification), as a table: each request body
// goes through the HTTP handler and must get the response the
// specification prints, or no response at all where it says so.

package jsonrpc

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strings"
	"sync"
	"testing"
)

// specServer has the methods the examples call. Note that the
// specification's subtract is x - y; the article's is abs(x - y).
func specServer(t testing.TB) (*Server, *notes) {
	s := NewServer()
	n := &notes{}
	reg := func(name string, fn any, names ...string) {
		if err := s.RegisterFunction(name, fn, names...); err != nil {
			t.Fatal(err)
		}
	}
	reg("subtract", func(minuend, subtrahend int) int { return minuend - subtrahend },
		"minuend", "subtrahend")
	reg("sum", func(a, b, c int) int { return a + b + c })
	reg("update", func(a, b, c, d, e int) { n.add("update") })
	reg("notify_hello", func(x int) { n.add("notify_hello") })
	reg("notify_sum", func(a, b, c int) { n.add("notify_sum") })
	reg("get_data", func() []any { return []any{"hello", 5} })
	return s, n
}

// notes records which notifications ran, to prove they did.
type notes struct {
	mu   sync.Mutex
	seen []string
}

func (n *notes) add(s string) { n.mu.Lock(); n.seen = append(n.seen, s); n.mu.Unlock() }
func (n *notes) list() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.seen...)
}

var specExamples = []struct {
	name, request, response string
	notified                []string // notifications that must have run
}{
	{name: "positional 1",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": [42, 23], "id": 1}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 1}`},
	{name: "positional 2",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": [23, 42], "id": 2}`,
		response: `{"jsonrpc": "2.0", "result": -19, "id": 2}`},
	{name: "named 1",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 3}`},
	{name: "named 2",
		request:  `{"jsonrpc": "2.0", "method": "subtract", "params": {"minuend": 42, "subtrahend": 23}, "id": 4}`,
		response: `{"jsonrpc": "2.0", "result": 19, "id": 4}`},
	{name: "notification",
		request:  `{"jsonrpc": "2.0", "method": "update", "params": [1,2,3,4,5]}`,
		notified: []string{"update"}},
	{name: "notification of a missing method",
		request: `{"jsonrpc": "2.0", "method": "foobar"}`},
	{name: "non-existent method",
		request:  `{"jsonrpc": "2.0", "method": "foobar", "id": "1"}`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "1"}`},
	{name: "invalid JSON",
		request:  `{"jsonrpc": "2.0", "method": "foobar, "params": "bar", "baz]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}`},
	{name: "invalid Request object",
		request:  `{"jsonrpc": "2.0", "method": 1, "params": "bar"}`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}`},
	{name: "batch, invalid JSON",
		request: `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method"
]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32700, "message": "Parse error"}, "id": null}`},
	{name: "empty Array",
		request:  `[]`,
		response: `{"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}`},
	{name: "invalid batch, not empty",
		request: `[1]`,
		response: `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`},
	{name: "invalid batch",
		request: `[1,2,3]`,
		response: `[
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null}
]`},
	{name: "batch",
		request: `[
  {"jsonrpc": "2.0", "method": "sum", "params": [1,2,4], "id": "1"},
  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]},
  {"jsonrpc": "2.0", "method": "subtract", "params": [42,23], "id": "2"},
  {"foo": "boo"},
  {"jsonrpc": "2.0", "method": "foo.get", "params": {"name": "myself"}, "id": "5"},
  {"jsonrpc": "2.0", "method": "get_data", "id": "9"}
]`,
		response: `[
  {"jsonrpc": "2.0", "result": 7, "id": "1"},
  {"jsonrpc": "2.0", "result": 19, "id": "2"},
  {"jsonrpc": "2.0", "error": {"code": -32600, "message": "Invalid Request"}, "id": null},
  {"jsonrpc": "2.0", "error": {"code": -32601, "message": "Method not found"}, "id": "5"},
  {"jsonrpc": "2.0", "result": ["hello", 5], "id": "9"}
]`,
		notified: []string{"notify_hello"}},
	{name: "batch, all notifications",
		request: `[
  {"jsonrpc": "2.0", "method": "notify_sum", "params": [1,2,4]},
  {"jsonrpc": "2.0", "method": "notify_hello", "params": [7]}
]`,
		notified: []string{"notify_sum", "notify_hello"}},
}

func TestSpecificationExamplesGetTheSpecificationsAnswers(t *testing.T) {
	for _, ex := range specExamples {
		t.Run(ex.name, func(t *testing.T) {
			srv, notes := specServer(t)
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(ex.request))
			srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("HTTP status %d, want 200", rec.Code)
			}
			got := rec.Body.String()
			if ex.response == "" {
				if got != "" {
					t.Errorf("got %s, want no response", got)
				}
			} else {
				if ct := rec.Header().Get("Content-Type"); ct != "application/json" {
					t.Errorf("Content-Type %q", ct)
				}
				assertSameJSON(t, got, ex.response)
			}
			if n := notes.list(); !reflect.DeepEqual(n, ex.notified) {
				t.Errorf("notifications run: %v, want %v", n, ex.notified)
			}
		})
	}
}

// assertSameJSON compares two bodies as JSON values. Our errors add a
// data member with details, which the specification allows ("may be
// omitted"); it must be a non-empty string, and is then ignored.
func assertSameJSON(t *testing.T, got, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal([]byte(got), &g); err != nil {
		t.Fatalf("response is not JSON: %v: %s", err, got)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad expectation: %v", err)
	}
	stripData(t, g)
	if !reflect.DeepEqual(g, w) {
		t.Errorf("response\n got: %s\nwant: %s", got, want)
	}
}

func stripData(t *testing.T, v any) {
	t.Helper()
	switch v := v.(type) {
	case []any:
		for _, e := range v {
			stripData(t, e)
		}
	case map[string]any:
		if e, ok := v["error"].(map[string]any); ok {
			if d, ok := e["data"]; ok {
				if s, _ := d.(string); s == "" {
					t.Errorf("error data %v is not a non-empty string", d)
				}
				delete(e, "data")
			}
		}
	}
}

// The transport-free Handle gives the same answers; the HTTP layer
// adds nothing but the status and headers.
func TestHandleGivesTheSameAnswersAsHTTP(t *testing.T) {
	for _, ex := range specExamples {
		srv, _ := specServer(t)
		got := srv.Handle(context.Background(), []byte(ex.request))
		if ex.response == "" {
			if got != nil {
				t.Errorf("%s: got %s, want nil", ex.name, got)
			}
			continue
		}
		assertSameJSON(t, string(got), ex.response)
	}
}
