package xmlrpc_test

import (
	"bufio"
	"context"
	"errors"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// Requests that are not XML-RPC get an HTTP error; XML-RPC requests
// that are broken get a fault with status 200. Nothing crashes.
func TestNonXMLRPCRequestsGetHTTPErrorsAndBrokenCallsGetFaults(t *testing.T) {
	for _, mode := range []xmlrpc.Mode{xmlrpc.SingleThreaded, xmlrpc.Concurrent} {
		t.Run(mode.String(), func(t *testing.T) {
			r, c := start(t, inMode(mode), func(s *xmlrpc.Server) { s.MaxBodyBytes = 4096 })
			base := "http://" + r.Addr()

			resp := do(t, http.MethodGet, base+"/RPC2", "")
			if resp.StatusCode != http.StatusMethodNotAllowed || resp.Header.Get("Allow") != "POST" {
				t.Errorf("GET: %s, Allow %q", resp.Status, resp.Header.Get("Allow"))
			}
			if resp := do(t, http.MethodPost, base+"/elsewhere", "<x/>"); resp.StatusCode != http.StatusNotFound {
				t.Errorf("wrong path: %s", resp.Status)
			}
			big := "<methodCall><methodName>echo</methodName><params><param><value>" +
				strings.Repeat("x", 5000) + "</value></param></params></methodCall>"
			if resp := do(t, http.MethodPost, base+"/RPC2", big); resp.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("oversized body: %s", resp.Status)
			}

			// Through the client, a 413 is a typed *HTTPError.
			_, err := c.Call(t.Context(), "echo", strings.Repeat("x", 5000))
			var he *xmlrpc.HTTPError
			if !errors.As(err, &he) || he.StatusCode != http.StatusRequestEntityTooLarge {
				t.Errorf("client, oversized: %v", err)
			}

			for body, code := range map[string]int{
				"":                          xmlrpc.CodeNotWellFormed,
				"<methodCall><methodName>":  xmlrpc.CodeNotWellFormed,
				"\x00\x01\x02":              xmlrpc.CodeNotWellFormed,
				"<methodCall></methodCall>": xmlrpc.CodeInvalidXMLRPC,
				"<methodCall><methodName>add</methodName><params><param><value><int>x</int></value></param></params></methodCall>": xmlrpc.CodeInvalidXMLRPC,
			} {
				resp := do(t, http.MethodPost, base+"/", body)
				if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/xml" {
					t.Errorf("%q: %s %s", body, resp.Status, resp.Header.Get("Content-Type"))
				}
				_, err := xmlrpc.DecodeResponse(strings.NewReader(resp.body))
				wantFault(t, err, code, "")
			}

			// And the server still answers.
			if n, err := xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err != nil || n != 5 {
				t.Errorf("add after bad requests: %d, %v", n, err)
			}
		})
	}
}

type response struct {
	*http.Response
	body string
}

func do(t *testing.T, method, url, body string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return response{resp, string(b)}
}

// A client that connects and then sends nothing, or sends its body
// too slowly, is cut off by the server's timeouts, with a line in the
// server's log. Without them it would hold a single-threaded server for
// ever, as it can hold Python's SimpleXMLRPCServer.
func TestSingleThreadedServerCutsOffSilentAndSlowClients(t *testing.T) {
	var logged logBuffer
	r, c := start(t, func(s *xmlrpc.Server) {
		s.Mode = xmlrpc.SingleThreaded
		s.ReadHeaderTimeout = 300 * time.Millisecond
		s.ReadTimeout = 600 * time.Millisecond
		s.ErrorLog = log.New(&logged, "", 0)
	})

	for _, tc := range []struct{ name, send, logs string }{
		{"no headers", "POST /RPC2 HTTP/1.1\r\nHost: x\r\n", "without a whole request"},
		{"slow body", "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n<methodCall>", "read request"},
		{"nothing yet", "", "without a whole request"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			logged.Reset()
			conn, err := net.Dial("tcp", r.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tc.send); err != nil {
				t.Fatal(err)
			}
			// Reading returns once the server closes the connection
			// (with nothing, or a 400 it could not finish reading).
			_, _ = io.ReadAll(bufio.NewReader(conn))
			// Meanwhile-queued calls are served once it is cut off.
			if n, err := xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err != nil || n != 5 {
				t.Errorf("add after slow client: %d, %v", n, err)
			}
			logged.waitFor(t, tc.logs)
		})
	}
}

// The client reports a server that is not there, and a reply that is
// not XML-RPC, as errors rather than hanging or crashing.
func TestClientReportsMissingAndBrokenServersAsErrors(t *testing.T) {
	if _, err := xmlrpc.NewClient("ftp://x"); err == nil {
		t.Error("ftp URL accepted")
	}
	if _, err := xmlrpc.NewClient("http://[::1"); err == nil {
		t.Error("bad URL accepted")
	}

	// A port nobody listens on.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	c := newClient(t, "http://"+addr)
	if _, err := c.Call(t.Context(), "add", 2, 3); err == nil {
		t.Error("call to a closed port succeeded")
	}

	// Values XML-RPC cannot carry fail before anything is sent.
	if _, err := c.Call(t.Context(), "echo", make(chan int)); err == nil || !strings.Contains(err.Error(), "encode") {
		t.Errorf("chan param: %v", err)
	}

	// A server answering garbage, and one that never answers.
	mux := http.NewServeMux()
	mux.HandleFunc("/garbage", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "<html>hi</html>") })
	mux.HandleFunc("/silent", func(w http.ResponseWriter, r *http.Request) {
		// Once the body is read, net/http notices the client hanging
		// up and ends the request's context.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
	run := httptest.NewServer(mux)
	defer run.Close()
	_, err = newClient(t, run.URL+"/garbage").Call(t.Context(), "add", 2, 3)
	var de *xmlrpc.DecodeError
	if !errors.As(err, &de) {
		t.Errorf("garbage reply: %v", err)
	}
	quick, _ := xmlrpc.NewClient(run.URL + "/silent")
	quick.Timeout = 200 * time.Millisecond
	if _, err := quick.Call(t.Context(), "add", 2, 3); err == nil || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("silent server: %v", err)
	}

	// A result that does not fit the Go type asked for.
	_, c2 := start(t)
	if _, err := xmlrpc.CallAs[bool](t.Context(), c2, "add", 2, 3); err == nil {
		t.Error("int result unmarshalled into bool")
	}
}
