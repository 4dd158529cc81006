package xmlrpc_test

// These tests play hostile clients against the server: requests built
// to make it do too much work, hold it too long, or build too big an
// answer. Each checks that the client gets a fault or is cut off, that
// memory stays bounded, and that the server still answers add(2, 3)
// afterwards. None of them times the server: they count and compare.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// emptyMulticall is a system.multicall of n empty structs, about 33
// bytes each: nearly a megabyte of them fits under the body limit.
func emptyMulticall(n int) string {
	return "<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>" +
		strings.Repeat("<value><struct></struct></value>", n) +
		"</data></array></value></param></params></methodCall>"
}

// peakHeap samples the heap in use until stop is closed and returns
// the most it saw.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	peak := make(chan uint64, 1)
	go func() {
		var most uint64
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			most = max(most, ms.HeapInuse)
			select {
			case <-stop:
				peak <- most
				return
			case <-time.After(5 * time.Millisecond):
			}
		}
	}()
	return peak
}

// Eight clients at once each send a 960 KB multicall of empty entries.
// Answered in full, each would be a reply of about 6.7 MB (a fault
// struct per entry), and building the eight (decoded calls, results,
// replies) took about 225 MB of heap when measured; instead each gets
// one small fault, the heap stays far below that, and the server goes
// on.
func TestParallelHugeMulticallsGetAFaultAndMemoryStaysBounded(t *testing.T) {
	r, c := start(t, inMode(xmlrpc.Concurrent))
	body := emptyMulticall(960 << 10 / 33)
	const clients = 8

	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	peak := peakHeap(stop)

	var wg sync.WaitGroup
	replies := make([]int, clients)
	errs := make([]error, clients)
	for i := range clients {
		wg.Go(func() {
			resp, err := http.Post(r.URL(), "text/xml", strings.NewReader(body))
			if err != nil {
				errs[i] = err
				return
			}
			defer resp.Body.Close()
			b, _ := io.ReadAll(resp.Body)
			replies[i] = len(b)
			_, err = xmlrpc.DecodeResponse(bytes.NewReader(b))
			var f *xmlrpc.Fault
			if !errors.As(err, &f) || f.Code != xmlrpc.CodeInvalidParams {
				errs[i] = fmt.Errorf("want a fault %d, got %v", xmlrpc.CodeInvalidParams, err)
			}
		})
	}
	wg.Wait()
	close(stop)
	grew := int64(<-peak) - int64(before.HeapInuse)
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	t.Logf("%d multicalls of %d KB: replies of %d bytes each, heap grew by at most %d MB",
		clients, len(body)>>10, replies[0], grew>>20)
	// Answered in full, the eight took about 225 MB.
	if grew > 150<<20 {
		t.Errorf("heap grew by %d MB while refusing the multicalls", grew>>20)
	}
	if n, err := xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err != nil || n != 5 {
		t.Errorf("add(2, 3) afterwards: %d, %v", n, err)
	}
}

// A multicall short enough to pass the count limit can still ask for a
// large reply; the reply size is counted as the results are encoded,
// and going over MaxReplyBytes is a fault instead of a giant answer.
func TestMulticallOverTheReplyLimitIsAFault(t *testing.T) {
	_, c := start(t, func(s *xmlrpc.Server) { s.MaxReplyBytes = 64 << 10 })
	calls := make([]xmlrpc.MulticallEntry, 500)
	for i := range calls {
		calls[i] = xmlrpc.MulticallEntry{Method: "system.listMethods"}
	}
	_, err := c.Multicall(t.Context(), calls...)
	wantFault(t, err, xmlrpc.CodeSystemError, "reply over the server's limit")

	// A single reply over the limit is refused the same way.
	_, err = c.Call(t.Context(), "echo", strings.Repeat("x", 100<<10))
	wantFault(t, err, xmlrpc.CodeSystemError, "over the server's limit")

	if n, err := xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err != nil || n != 5 {
		t.Errorf("add(2, 3) afterwards: %d, %v", n, err)
	}
}

// The sleeps of one multicall share the request's time limit: on a
// single-threaded server, sixteen sleep(300) calls in one request run
// only as many as fit in RequestTimeout, the rest are faults, and the
// client waiting behind it is served next.
func TestMulticallSleepsShareOneRequestTimeLimit(t *testing.T) {
	var mu sync.Mutex
	var order []string // the calls, in the order the server answered them
	sleeping := make(chan struct{})
	var once sync.Once
	r, c := start(t, func(s *xmlrpc.Server) {
		s.RequestTimeout = 2 * time.Second
		s.OnCall = func(call *xmlrpc.Call, _ any, _ *xmlrpc.Fault) {
			mu.Lock()
			defer mu.Unlock()
			order = append(order, call.Method)
		}
		// The calculator's sleep, telling the test when it first runs.
		err := s.RegisterFunction("sleep", func(ctx context.Context, ms int32) (int32, error) {
			once.Do(func() { close(sleeping) })
			return xmlrpc.Sleep(ctx, ms)
		})
		if err != nil {
			t.Fatal(err)
		}
	})
	calls := make([]xmlrpc.MulticallEntry, 16)
	for i := range calls {
		calls[i] = xmlrpc.MulticallEntry{Method: "sleep", Params: []any{300}}
	}

	other := make(chan error, 1)
	go func() {
		// This client arrives while the multicall runs, and waits.
		<-sleeping
		n, err := xmlrpc.CallAs[int](t.Context(), newClient(t, r.URL()), "add", 2, 3)
		if err == nil && n != 5 {
			err = fmt.Errorf("add(2, 3) = %d", n)
		}
		other <- err
	}()

	begin := time.Now()
	results, err := c.Multicall(t.Context(), calls...)
	took := time.Since(begin)
	if err != nil {
		t.Fatal(err)
	}
	slept := 0
	for i, res := range results {
		if res.Fault == nil {
			slept++
			continue
		}
		if res.Fault.Code != xmlrpc.CodeSystemError {
			t.Errorf("call %d: %v", i+1, res.Fault)
		}
	}
	t.Logf("16 × sleep(300) in one request with a 2s limit: %d ran, the rest were refused; took %v",
		slept, took.Round(10*time.Millisecond))
	// At most 2s / 300ms = 6 fit; how many did depends on the machine.
	if slept > 6 {
		t.Errorf("%d sleeps of 300 ms ran within a 2 s limit, want at most 6", slept)
	}
	if err := <-other; err != nil {
		t.Errorf("the waiting client: %v", err)
	}
	mu.Lock()
	defer mu.Unlock()
	if want := []string{"system.multicall", "add"}; !slices.Equal(order, want) {
		t.Errorf("the server answered %v, want %v", order, want)
	}
}

// logBuffer collects what a server logs, for tests to read.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) Reset() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Reset()
}

// waitFor waits until the log holds text. The server may write the
// line just after the connection it is about closed.
func (b *logBuffer) waitFor(t *testing.T, text string) {
	t.Helper()
	for !strings.Contains(b.String(), text) {
		select {
		case <-t.Context().Done():
			t.Fatalf("the server never logged %q; log: %q", text, b.String())
		case <-time.After(10 * time.Millisecond):
		}
	}
	t.Logf("logged: %s", strings.TrimSpace(b.String()))
}

// A client that asks for a large reply and never reads it would hold a
// single-threaded server as long as it likes. The server gives up
// after WriteTimeout, logs it, closes the connection, and serves the
// next client.
func TestSingleThreadedServerCutsOffAClientThatNeverReads(t *testing.T) {
	const size = 16 << 20 // more than the kernel's socket buffers hold
	var logged logBuffer
	r, c := start(t, func(s *xmlrpc.Server) {
		s.WriteTimeout = 300 * time.Millisecond
		s.MaxReplyBytes = 2 * size
		s.ErrorLog = log.New(&logged, "", 0)
		if err := s.RegisterFunction("big", func(n int) string { return strings.Repeat("x", n) }); err != nil {
			t.Fatal(err)
		}
	})

	// A tiny receive buffer, so the reply piles up on the server side.
	d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
		var serr error
		err := rc.Control(func(fd uintptr) {
			serr = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096)
		})
		return errors.Join(err, serr)
	}}
	conn, err := d.DialContext(t.Context(), "tcp", r.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	call, err := xmlrpc.EncodeCall("big", size)
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(conn, "POST /RPC2 HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml\r\nContent-Length: %d\r\n\r\n%s", len(call), call)

	// The next client is served once the server has given up.
	if n, err := xmlrpc.CallAs[int](t.Context(), c, "add", 2, 3); err != nil || n != 5 {
		t.Fatalf("add(2, 3) behind a client that never reads: %d, %v", n, err)
	}
	if !strings.Contains(logged.String(), "not delivered") {
		t.Errorf("nothing logged about the cut-off client; log: %q", logged.String())
	}
	// The connection was closed without the full reply.
	got, _ := io.Copy(io.Discard, conn)
	t.Logf("the client that never read got %d KB of a %d MB reply before it was cut off", got>>10, size>>20)
	if got >= size {
		t.Errorf("the whole reply (%d bytes) was delivered", got)
	}
}
