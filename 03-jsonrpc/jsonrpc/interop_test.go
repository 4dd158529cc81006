package jsonrpc

import (
	"context"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// Python's jsonrpclib (Debian's python3-jsonrpclib-pelix) calls the Go
// server: calls by position and by name, errors, a notification and
// batches through MultiCall.
func TestPythonClientCallsGoServer(t *testing.T) {
	pypeer.Require(t, "jsonrpclib")
	var mu sync.Mutex
	var logged []string
	functions := NewFunctionServer()
	err := functions.RegisterFunction("log", func(m string) {
		mu.Lock()
		logged = append(logged, m)
		mu.Unlock()
	}, "message")
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/{$}", functions)
	mux.Handle("/jsonrpc", NewHandlerServer())
	url := startServer(t, &HTTPServer{Handler: mux})

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	out := pypeer.Run(t, ctx, "../testdata/proxy_client.py", url)
	want := []string{
		"add 5",
		"multiply 6",
		"subtract 1",
		"divide 0 -4",
		"add by name 5",
		"divide(1, 0) AppError 1 division by zero [('dividend', 1), ('divisor', 0)]",
		"power ProtocolError -32601 Method not found",
		"add(1, 'two') ProtocolError -32602 Invalid params",
		"notify sent",
		"batch length 3",
		"batch 3 12",
		"batch divide AppError 1",
		"all-notification batch 0",
		"handler add 5 hello, python",
	}
	if got := strings.Split(strings.TrimSpace(out), "\n"); !reflect.DeepEqual(got, want) {
		t.Errorf("python printed:\n%s\nwant:\n%s", out, strings.Join(want, "\n"))
	}
	mu.Lock()
	defer mu.Unlock()
	wantLogged := []string{"notified from python", "batched from python", "quiet 1", "quiet 2"}
	if !slices.Equal(logged, wantLogged) {
		t.Errorf("notifications the server ran: %q, want %q", logged, wantLogged)
	}
}

// The Go client calls jsonrpclib's SimpleJSONRPCServer running the
// article's calculator: the course's calculator specification, by-name
// params, a notification and a batch.
func TestGoClientCallsPythonServer(t *testing.T) {
	pypeer.Require(t, "jsonrpclib")
	py := pypeer.Start(t, "../testdata/calc_server.py")
	addr := strings.TrimPrefix(py.WaitLine(t, "READY ", time.Minute), "READY ")
	c := NewClient("http://"+addr+"/", nil)
	ctx := t.Context()

	calctest.Run(t, calculator{c})

	var sum int
	if err := c.Call(ctx, "add", map[string]int{"x": 20, "y": 22}, &sum); err != nil || sum != 42 {
		t.Errorf("add(x=20, y=22) = %d, %v", sum, err)
	}
	if err := c.Notify(ctx, "log", []string{"hello from go"}); err != nil {
		t.Fatal(err)
	}
	py.WaitLine(t, "LOG hello from go", 30*time.Second)

	var a, m int
	batch := []BatchElem{
		{Method: "add", Params: []int{1, 2}, Result: &a},
		{Method: "log", Params: []string{"batched from go"}, Notify: true},
		{Method: "multiply", Params: []int{3, 4}, Result: &m},
		{Method: "nope", Params: []int{}},
	}
	if err := c.Batch(ctx, batch); err != nil {
		t.Fatal(err)
	}
	if a != 3 || m != 12 || batch[0].Error != nil || batch[2].Error != nil {
		t.Errorf("batch: %d %d %v %v", a, m, batch[0].Error, batch[2].Error)
	}
	assertCode(t, batch[3].Error, CodeMethodNotFound)
	py.WaitLine(t, "LOG batched from go", 30*time.Second)

	quiet := []BatchElem{{Method: "log", Params: []string{"quiet"}, Notify: true}}
	if err := c.Batch(ctx, quiet); err != nil {
		t.Fatal(err)
	}
	py.WaitLine(t, "LOG quiet", 30*time.Second)
}
