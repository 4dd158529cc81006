package jsonrpc

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// Bad requests, each answered with the right error and the right id.
func TestBadRequestsGetTheRightCodeAndID(t *testing.T) {
	s := NewFunctionServer()
	if err := s.RegisterFunction("echo", func(v any) any { return v }); err != nil {
		t.Fatal(err)
	}
	if err := s.RegisterMethods(CalculatorHandler{}); err == nil {
		t.Fatal("registering add twice: want an error")
	}
	for _, tc := range []struct {
		name, body string
		code       int
		id         string // the id the error must carry, as JSON
	}{
		{"version 1.0", `{"jsonrpc":"1.0","method":"add","params":[1,2],"id":1}`, CodeInvalidRequest, `1`},
		{"version as number", `{"jsonrpc":2.0,"method":"add","params":[1,2],"id":1}`, CodeInvalidRequest, `1`},
		{"no version", `{"method":"add","params":[1,2],"id":"a"}`, CodeInvalidRequest, `"a"`},
		{"member names are case-sensitive", `{"jsonrpc":"2.0","Method":"add","params":[1,2],"id":1}`, CodeInvalidRequest, `1`},
		{"params a number", `{"jsonrpc":"2.0","method":"add","params":3,"id":1}`, CodeInvalidRequest, `1`},
		{"params a string", `{"jsonrpc":"2.0","method":"add","params":"1,2","id":1}`, CodeInvalidRequest, `1`},
		{"params null", `{"jsonrpc":"2.0","method":"add","params":null,"id":1}`, CodeInvalidRequest, `1`},
		{"id an object", `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":{}}`, CodeInvalidRequest, `null`},
		{"id a boolean", `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":true}`, CodeInvalidRequest, `null`},
		{"a string, not an object", `"add"`, CodeInvalidRequest, `null`},
		{"not JSON", `add(2, 3)`, CodeParseError, `null`},
		{"empty body", ``, CodeParseError, `null`},
		{"two objects", `{"jsonrpc":"2.0","method":"add","id":1} {}`, CodeParseError, `null`},
		{"too few params", `{"jsonrpc":"2.0","method":"add","params":[1],"id":1}`, CodeInvalidParams, `1`},
		{"too many params", `{"jsonrpc":"2.0","method":"add","params":[1,2,3],"id":1}`, CodeInvalidParams, `1`},
		{"wrong type", `{"jsonrpc":"2.0","method":"add","params":[1,"2"],"id":1}`, CodeInvalidParams, `1`},
		{"fraction for an int", `{"jsonrpc":"2.0","method":"add","params":[1,2.5],"id":1}`, CodeInvalidParams, `1`},
		{"null for an int", `{"jsonrpc":"2.0","method":"add","params":[1,null],"id":1}`, CodeInvalidParams, `1`},
		{"unknown name", `{"jsonrpc":"2.0","method":"add","params":{"x":1,"z":2},"id":1}`, CodeInvalidParams, `1`},
		{"missing name", `{"jsonrpc":"2.0","method":"add","params":{"x":1},"id":1}`, CodeInvalidParams, `1`},
		{"unknown method", `{"jsonrpc":"2.0","method":"pow","params":[1,2],"id":1}`, CodeMethodNotFound, `1`},
		{"reserved rpc. method", `{"jsonrpc":"2.0","method":"rpc.discover","id":1}`, CodeMethodNotFound, `1`},
		{"division by zero", `{"jsonrpc":"2.0","method":"divide","params":[1,0],"id":1}`, CodeDivisionByZero, `1`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := s.Handle(context.Background(), []byte(tc.body))
			var resp wireResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("answer %q: %v", out, err)
			}
			if resp.JSONRPC != "2.0" || resp.Error == nil || resp.Result != nil {
				t.Fatalf("answer %s, want an error response", out)
			}
			if resp.Error.Code != tc.code || string(resp.ID) != tc.id {
				t.Errorf("got code %d id %s, want %d id %s (%s)",
					resp.Error.Code, resp.ID, tc.code, tc.id, out)
			}
			// Standard errors say what went wrong in data.
			if tc.code != CodeDivisionByZero && resp.Error.Data == nil {
				t.Errorf("no detail in %s", out)
			}
		})
	}
}

// Ids come back exactly as sent: strings, numbers (even large or
// fractional ones) and null.
func TestIDsComeBackExactlyAsSent(t *testing.T) {
	s := NewFunctionServer()
	for _, id := range []string{`"abc"`, `""`, `0`, `-7`, `12345678901234567890`, `1.5`, `null`, `"\u00e9"`} {
		body := `{"jsonrpc":"2.0","method":"add","params":[2,3],"id":` + id + `}`
		want := `{"jsonrpc":"2.0","result":5,"id":` + id + `}`
		if got := string(s.Handle(context.Background(), []byte(body))); got != want {
			t.Errorf("id %s: got %s, want %s", id, got, want)
		}
	}
}

// A method that panics or fails with a plain error does not bring the
// server down; the caller gets an Internal or a Server error.
func TestFailingMethodsDoNotBringTheServerDown(t *testing.T) {
	s := NewServer()
	_ = s.RegisterFunction("boom", func() int { panic("kaboom") })
	_ = s.RegisterFunction("fail", func() error { return errors.New("disk full") })
	_ = s.RegisterFunction("nothing", func() {})
	_ = s.RegisterFunction("unencodable", func() any { return make(chan int) })
	ctx := context.Background()
	for method, want := range map[string]string{
		"boom":        `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error","data":"boom panicked: kaboom"},"id":1}`,
		"fail":        `{"jsonrpc":"2.0","error":{"code":-32000,"message":"disk full"},"id":1}`,
		"nothing":     `{"jsonrpc":"2.0","result":null,"id":1}`,
		"unencodable": `{"jsonrpc":"2.0","error":{"code":-32603,"message":"Internal error","data":"encode result: json: unsupported type: chan int"},"id":1}`,
	} {
		got := s.Handle(ctx, []byte(`{"jsonrpc":"2.0","method":"`+method+`","id":1}`))
		if string(got) != want {
			t.Errorf("%s:\n got %s\nwant %s", method, got, want)
		}
	}
}

func TestRegisterRejectsBadSignaturesAndNames(t *testing.T) {
	s := NewServer()
	for name, fn := range map[string]any{
		"not a func":  42,
		"variadic":    func(xs ...int) int { return 0 },
		"three outs":  func() (int, int, error) { return 0, 0, nil },
		"bad 2nd out": func() (int, int) { return 0, 0 },
	} {
		if err := s.RegisterFunction("m", fn); err == nil {
			t.Errorf("%s: registered", name)
		}
	}
	if err := s.RegisterFunction("rpc.x", func() {}); err == nil {
		t.Error("rpc.x: reserved name registered")
	}
	if err := s.RegisterFunction("add", Add, "x"); err == nil {
		t.Error("one name for two params: registered")
	}
}

// HTTP-level bad input: answered with HTTP errors, and the server keeps
// serving.
func TestHTTPBadInputGetsHTTPErrorsAndTheServerGoesOn(t *testing.T) {
	s := NewFunctionServer()
	s.MaxBodyBytes = 1024
	url := startServer(t, &HTTPServer{Handler: s}) + "/"

	t.Run("GET", func(t *testing.T) {
		resp, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
			t.Errorf("GET: %s, Allow %q", resp.Status, resp.Header.Get("Allow"))
		}
	})
	t.Run("oversized body", func(t *testing.T) {
		big := `{"jsonrpc":"2.0","method":"add","params":[1,2],"id":"` +
			strings.Repeat("x", 4096) + `"}`
		resp, err := http.Post(url, "application/json", strings.NewReader(big))
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("%s: %s", resp.Status, b)
		}
		// The client sees a typed HTTP error.
		err = NewClient(url, nil).Call(t.Context(), "add", []string{strings.Repeat("y", 4096)}, nil)
		var he *HTTPError
		if !errors.As(err, &he) || he.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("client: %v", err)
		}
	})
	t.Run("still serving", func(t *testing.T) {
		calcSpecSmoke(t, url)
	})
}

// Slow clients are cut off by the server's timeouts instead of holding
// a connection forever.
func TestSlowClientsAreCutOffByTimeouts(t *testing.T) {
	url := startServer(t, &HTTPServer{
		Handler:           NewFunctionServer(),
		ReadHeaderTimeout: 200 * time.Millisecond,
		ReadTimeout:       300 * time.Millisecond,
	})
	addr := strings.TrimPrefix(url, "http://")

	t.Run("headers never finish", func(t *testing.T) {
		conn := dial(t, addr)
		io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\n") // and nothing more
		assertClosedSoon(t, conn)
	})
	t.Run("body never finishes", func(t *testing.T) {
		conn := dial(t, addr)
		io.WriteString(conn, "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"jsonrpc\"")
		resp := assertClosedSoon(t, conn)
		if resp != "" && !strings.Contains(resp, "408") {
			t.Errorf("answer %q, want 408 or nothing", resp)
		}
	})
	t.Run("still serving", func(t *testing.T) {
		calcSpecSmoke(t, url)
	})
}

func dial(t *testing.T, addr string) net.Conn {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// assertClosedSoon reads until the server closes the connection,
// returning the first line it sent, if any. The 10 s bound is far
// beyond the server's sub-second timeouts: it catches a hang, it does
// not measure speed.
func assertClosedSoon(t *testing.T, conn net.Conn) string {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(10 * time.Second))
	r := bufio.NewReader(conn)
	first, _ := r.ReadString('\n')
	_, err := io.Copy(io.Discard, r)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatal("server kept the slow connection open")
	}
	return first
}

func calcSpecSmoke(t *testing.T, url string) {
	t.Helper()
	var r int
	if err := NewClient(url, nil).Call(t.Context(), "add", []int{2, 3}, &r); err != nil || r != 5 {
		t.Errorf("add(2, 3) = %d, %v", r, err)
	}
}

// ListenAndServe listens on Addr and, like Serve, returns
// http.ErrServerClosed once the server is shut down, whichever comes
// first.
func TestListenAndServeReturnsErrServerClosedAfterShutdown(t *testing.T) {
	srv := &HTTPServer{Addr: "127.0.0.1:0", Handler: NewFunctionServer()}
	done := make(chan error, 1)
	go func() { done <- srv.ListenAndServe() }()
	if err := srv.Shutdown(t.Context()); err != nil {
		t.Fatal(err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		t.Errorf("ListenAndServe: %v, want http.ErrServerClosed", err)
	}
}
