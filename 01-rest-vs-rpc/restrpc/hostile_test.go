package restrpc

import (
	"bufio"
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/rpc"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// These tests are hostile peers: each breaks one limit of [Server] on
// purpose, and then checks three things. The server closed that peer's
// connection (or answered it with an error), its goroutines and memory
// stayed bounded (measured, not timed: the server runs in this
// process), and a fresh client's add(2, 3) still gets 5.

// logBuffer collects a server's log lines, safe for its goroutines.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// hostileServer starts srv with its log going to a buffer, and returns
// the address and the buffer.
func hostileServer(t *testing.T, srv *Server) (string, *logBuffer) {
	t.Helper()
	logs := &logBuffer{}
	srv.ErrorLog = log.New(logs, "", 0)
	return startServer(t, srv), logs
}

// stillUp is the proof that the server survived: a fresh client's
// add(2, 3) is 5.
func stillUp(t *testing.T, style Style, addr string) {
	t.Helper()
	c, err := Dial(t.Context(), style, addr)
	if err != nil {
		t.Fatalf("dial after the attack: %v", err)
	}
	defer c.Close()
	if got, err := c.Add(t.Context(), 2, 3); err != nil || got != 5 {
		t.Fatalf("add(2, 3) after the attack = %d, %v; want 5", got, err)
	}
}

// waitClosed reads from conn, throwing the bytes away, until the server
// closes it. The one-minute deadline only keeps a broken server from
// hanging the test; nothing here measures how long closing took.
func waitClosed(t *testing.T, conn net.Conn) {
	t.Helper()
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	buf := make([]byte, 4096)
	for {
		_, err := conn.Read(buf)
		if err == nil {
			continue
		}
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the server kept the connection open")
		}
		return // io.EOF, or reset by peer: closed
	}
}

// peak samples the process's goroutines and heap while an attack runs.
type peak struct {
	goroutines int
	heap       uint64
}

// measure runs attack and reports the peak of goroutines and heap in
// use above what there was before it.
func measure(attack func()) peak {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	base := peak{goroutines: runtime.NumGoroutine(), heap: ms.HeapInuse}

	var top peak
	done := make(chan struct{})
	sampled := make(chan struct{})
	go func() {
		defer close(sampled)
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for i := 0; ; i++ {
			top.goroutines = max(top.goroutines, runtime.NumGoroutine()-base.goroutines)
			if i%10 == 0 {
				runtime.ReadMemStats(&ms)
				if ms.HeapInuse > base.heap {
					top.heap = max(top.heap, ms.HeapInuse-base.heap)
				}
			}
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	attack()
	close(done)
	<-sampled
	return top
}

// jsonCall is one JSON-RPC 1.0 request, as net/rpc/jsonrpc sends it.
func jsonCall(id int) []byte {
	return fmt.Appendf(nil, `{"method":"Calculator.Add","params":[{"x":2,"y":3}],"id":%d}`+"\n", id)
}

// pipeline writes up to n calls of style on conn and never reads an
// answer. It returns how many it wrote before the server cut it off.
func pipeline(conn net.Conn, style Style, n int) (int, error) {
	w := bufio.NewWriterSize(conn, 64<<10)
	enc := gob.NewEncoder(w)
	for i := range n {
		var err error
		if style == JSONRPC {
			_, err = w.Write(jsonCall(i))
		} else {
			err = enc.Encode(rpc.Request{ServiceMethod: "Calculator.Add", Seq: uint64(i)})
			if err == nil {
				err = enc.Encode(Args{X: 2, Y: 3})
			}
		}
		if err != nil {
			return i, err
		}
	}
	return n, w.Flush()
}

// A peer that pipelines calls and never reads the answers used to get
// a goroutine per call and the server's memory. Now the server stops
// reading that connection at MaxCallsPerConn calls in flight, and when
// its answers can no longer be written it closes the connection.
func TestPipelinedCallsNeverReadKeepTheServerBounded(t *testing.T) {
	const calls, inFlight = 600_000, 32
	for _, style := range []Style{JSONRPC, GobRPC} {
		t.Run(string(style), func(t *testing.T) {
			srv := &Server{Style: style, MaxCallsPerConn: inFlight, WriteTimeout: 300 * time.Millisecond}
			addr, logs := hostileServer(t, srv)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()

			var sent int
			var werr error
			p := measure(func() { sent, werr = pipeline(conn, style, calls) })
			t.Logf("%d calls sent before the server cut the connection (%v); peak: %d goroutines, %d KiB heap over the start",
				sent, werr, p.goroutines, p.heap>>10)
			if werr == nil {
				t.Fatalf("the server read all %d calls whose answers nobody reads", calls)
			}
			// A call's goroutine ends a moment after its answer is
			// written and its place is given to the next call, so the
			// count can briefly pass the cap; what matters is that it
			// does not grow with the calls sent.
			if limit := 4 * inFlight; p.goroutines > limit {
				t.Errorf("peak of %d more goroutines, want at most %d", p.goroutines, limit)
			}
			if p.heap > 64<<20 {
				t.Errorf("heap grew by %d MiB, want under 64", p.heap>>20)
			}
			stillUp(t, style, addr)
			if !strings.Contains(logs.String(), "write answer") {
				t.Errorf("no log line for the closed connection; log:\n%s", logs)
			}
		})
	}
}

// hugeRequestStart is the beginning of a request that would be a GiB.
// For gob it is a message length that says so; for JSON-RPC, an
// argument string that never ends.
func hugeRequestStart(style Style) []byte {
	if style == JSONRPC {
		return []byte(`{"method":"Calculator.Add","params":[{"x":"`)
	}
	// gob writes a length over 127 as its byte count, negated, and then
	// the bytes: 0xfc is "4 bytes follow", 0x3fffffff is 1 GiB - 1.
	return []byte{0xfc, 0x3f, 0xff, 0xff, 0xff}
}

// A request of a GiB, whether announced (gob's length prefix) or just
// streamed (a JSON string without end), used to be buffered whole. Now
// the server stops reading at MaxRequestBytes and closes the
// connection.
func TestHugeRequestClosesTheConnection(t *testing.T) {
	for _, style := range []Style{JSONRPC, GobRPC} {
		t.Run(string(style), func(t *testing.T) {
			addr, logs := hostileServer(t, &Server{Style: style})
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()

			var sent int64
			p := measure(func() {
				chunk := bytes.Repeat([]byte("a"), 64<<10)
				n, err := conn.Write(hugeRequestStart(style))
				for sent = int64(n); err == nil && sent < 1<<30; sent += int64(n) {
					n, err = conn.Write(chunk)
				}
			})
			t.Logf("%d KiB sent before the server closed the connection; peak heap %d KiB over the start",
				sent>>10, p.heap>>10)
			if sent >= 1<<30 {
				t.Fatal("the server read a whole GiB")
			}
			waitClosed(t, conn)
			if p.heap > 32<<20 {
				t.Errorf("heap grew by %d MiB, want under 32", p.heap>>20)
			}
			stillUp(t, style, addr)
			if !strings.Contains(logs.String(), "request over") {
				t.Errorf("no log line for the closed connection; log:\n%s", logs)
			}
		})
	}
}

// A connection that says nothing is closed once IdleTimeout has passed
// (REST: the time to send the headers), and one that sends half a
// request and stops, once ReadTimeout has. Each test sets only the
// timeout it is about, short; the other stays an hour.
func TestSilentAndHalfSentConnectionsAreClosed(t *testing.T) {
	const short, long = 200 * time.Millisecond, time.Hour
	tests := []struct {
		name  string
		srv   *Server
		begin string // what the peer sends before it stops
	}{
		{"silent/rest", &Server{Style: REST, ReadHeaderTimeout: short, ReadTimeout: long, IdleTimeout: long}, ""},
		{"silent/gob", &Server{Style: GobRPC, IdleTimeout: short, ReadTimeout: long}, ""},
		{"silent/jsonrpc", &Server{Style: JSONRPC, IdleTimeout: short, ReadTimeout: long}, ""},
		{"half-sent/rest", &Server{Style: REST, ReadHeaderTimeout: short, ReadTimeout: long, IdleTimeout: long}, "POST /calculations HTTP/1.1\r\nHost: x\r\n"},
		{"half-sent/gob", &Server{Style: GobRPC, IdleTimeout: long, ReadTimeout: short}, "\x30\x7f\x03"},
		{"half-sent/jsonrpc", &Server{Style: JSONRPC, IdleTimeout: long, ReadTimeout: short}, `{"method":"Calcu`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			addr, _ := hostileServer(t, tt.srv)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := io.WriteString(conn, tt.begin); err != nil {
				t.Fatal(err)
			}
			waitClosed(t, conn)
			stillUp(t, tt.srv.Style, addr)
		})
	}
}

// A REST body that trickles in slower than ReadTimeout allows gets 408
// Request Timeout (or, if the answer cannot be written, a closed
// connection), and the server goes on.
func TestSlowRESTBodyGets408(t *testing.T) {
	addr, _ := hostileServer(t, &Server{Style: REST, ReadTimeout: 300 * time.Millisecond})
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	io.WriteString(conn, "POST /calculations HTTP/1.1\r\nHost: x\r\n"+
		"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"+`{"operation":"add",`)
	conn.SetReadDeadline(time.Now().Add(time.Minute))
	status, err := bufio.NewReader(conn).ReadString('\n')
	t.Logf("slow body: %q, %v", status, err)
	switch {
	case err == nil && strings.HasPrefix(status, "HTTP/1.1 408 "):
	case err == nil:
		t.Errorf("slow body answered %q, want 408", status)
	default:
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			t.Fatal("the server kept waiting for the body")
		}
	}
	waitClosed(t, conn)
	stillUp(t, REST, addr)
}

// One connection past MaxConns is closed as soon as it is accepted;
// once a place is free again, a new client is served.
func TestConnectionsPastMaxConnsAreClosed(t *testing.T) {
	addr, logs := hostileServer(t, &Server{Style: JSONRPC, MaxConns: 2})
	var held []net.Conn
	for range 2 {
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		held = append(held, conn)
	}
	// A call on each proves the server accepted both.
	for _, conn := range held {
		conn.Write(jsonCall(1))
		if _, err := bufio.NewReader(conn).ReadString('\n'); err != nil {
			t.Fatal(err)
		}
	}
	third, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Close()
	waitClosed(t, third)
	if !strings.Contains(logs.String(), "over 2 connections") {
		t.Errorf("no log line for the refused connection; log:\n%s", logs)
	}

	// The server frees the place once it has seen the close, which it
	// does in its own time: a refused client simply tries again.
	held[0].Close()
	for try := 0; ; try++ {
		c, err := Dial(t.Context(), JSONRPC, addr)
		if err != nil {
			t.Fatal(err)
		}
		got, err := c.Add(t.Context(), 2, 3)
		c.Close()
		if err == nil && got == 5 {
			return
		}
		if try == 1000 {
			t.Fatalf("no place freed after a closed connection: %v", err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
