package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// invalidBatch is a batch of n invalid entries (bare numbers): each one
// deserves its own Invalid Request answer, about 110 bytes for 2 bytes
// of request.
func invalidBatch(n int) []byte {
	return []byte("[" + strings.Repeat("1,", n-1) + "1]")
}

// post sends body and returns the answer's status and body.
func post(t *testing.T, url string, body []byte) (int, []byte) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Error(err)
		return 0, nil
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Error(err)
	}
	return resp.StatusCode, b
}

// allocated is the bytes this process has allocated so far.
func allocated() uint64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.TotalAlloc
}

// peakHeap samples the heap in use until stop is closed and then sends
// the largest value seen. It teaches, it does not assert: the peak
// depends on when the collector ran.
func peakHeap(stop <-chan struct{}) <-chan uint64 {
	peak := make(chan uint64, 1)
	go func() {
		var m runtime.MemStats
		var max uint64
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		for {
			runtime.ReadMemStats(&m)
			max = maxOf(max, m.HeapInuse)
			select {
			case <-stop:
				peak <- max
				return
			case <-tick.C:
			}
		}
	}()
	return peak
}

func maxOf(a, b uint64) uint64 {
	if a > b {
		return a
	}
	return b
}

// flood posts body from n clients at once, the way a hostile client
// would, and returns the replies and the bytes this process allocated
// meanwhile (the server runs in the test's process).
func flood(t *testing.T, url string, body []byte, n int) (replies [][]byte, spent uint64) {
	t.Helper()
	runtime.GC()
	before := allocated()
	stop := make(chan struct{})
	peak := peakHeap(stop)
	var wg sync.WaitGroup
	replies = make([][]byte, n)
	for i := range n {
		wg.Go(func() {
			status, b := post(t, url, body)
			if status != http.StatusOK {
				t.Errorf("HTTP %d: %.200s", status, b)
			}
			replies[i] = b
		})
	}
	wg.Wait()
	spent = allocated() - before
	close(stop)
	t.Logf("%d bodies of %d bytes: %d MB allocated in all, %d MB per body, heap peak %d MB",
		n, len(body), spent>>20, spent/uint64(n)>>20, <-peak>>20)
	return replies, spent
}

// assertOneSmallError checks that reply is a single error response
// with the given code and id.
func assertOneSmallError(t *testing.T, reply []byte, code int, id string) {
	t.Helper()
	var resp wireResponse
	if err := json.Unmarshal(reply, &resp); err != nil || resp.Error == nil ||
		resp.Error.Code != code || string(resp.ID) != id {
		t.Fatalf("reply %.300s: want one error %d with id %s", reply, code, id)
	}
	if len(reply) > 1024 {
		t.Errorf("reply of %d bytes, want one small error", len(reply))
	}
}

// floodClients is how many hostile clients send at once, and
// floodBudget the most the server may allocate for all their 1 MiB
// bodies: reading and decoding may cost a few times the 12 MiB the
// bodies weigh, but not the gigabytes that answering every element
// would.
const (
	floodClients = 12
	floodBudget  = floodClients * 4 * DefaultMaxBodyBytes
)

// A hostile client sends twelve 1 MiB batches of invalid entries at
// once. Answering each entry would make a reply of about 60 MB per
// request; the server answers each batch with one small Invalid
// Request instead, allocates a bounded amount, and then still adds.
func TestParallelHugeInvalidBatchesGetOneSmallErrorEach(t *testing.T) {
	s := NewFunctionServer()
	s.ErrorLog = log.New(t.Output(), "", 0) // the refusals, in the test's output
	url := startServer(t, &HTTPServer{Handler: s})

	replies, spent := flood(t, url, invalidBatch((DefaultMaxBodyBytes-2)/2), floodClients)
	for _, b := range replies {
		assertOneSmallError(t, b, CodeInvalidRequest, "null")
	}
	if spent > floodBudget {
		t.Errorf("allocated %d bytes, want at most %d", spent, floodBudget)
	}
	calcSpecSmoke(t, url)
}

// manyMembers is a JSON object of members "a0", "a1", ... worth about
// size bytes, inside prefix and suffix.
func manyMembers(prefix, suffix string, size int) []byte {
	var b strings.Builder
	b.WriteString(prefix)
	for i := 0; b.Len() < size; i++ {
		fmt.Fprintf(&b, `,"a%d":0`, i)
	}
	b.WriteString(suffix)
	return []byte(b.String())
}

// The other ways to fill 1 MiB with many small things: a params array
// of half a million numbers, a request with a hundred thousand unknown
// members, params by name with as many unknown names. Each gets a
// small answer, the server's memory stays bounded, and it still adds.
func TestParallelHugeSingleRequestsStayBounded(t *testing.T) {
	url := startServer(t, &HTTPServer{Handler: NewFunctionServer()})
	const size = DefaultMaxBodyBytes - 100
	for _, tc := range []struct {
		name string
		body []byte
		code int // 0: a result is expected
	}{
		{"half a million params", []byte(`{"jsonrpc":"2.0","method":"add","id":1,"params":[1` +
			strings.Repeat(",1", size/2) + `]}`), CodeInvalidParams},
		{"many unknown members", manyMembers(`{"jsonrpc":"2.0","method":"add","params":[2,3],"id":1`, `}`, size), 0},
		{"many params by name", manyMembers(`{"jsonrpc":"2.0","method":"add","id":1,"params":{"x":2`, `}}`, size), CodeInvalidParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			replies, spent := flood(t, url, tc.body, floodClients)
			for _, b := range replies {
				if tc.code != 0 {
					assertOneSmallError(t, b, tc.code, "1")
				} else if string(b) != `{"jsonrpc":"2.0","result":5,"id":1}` {
					t.Fatalf("reply %.300s, want 5", b)
				}
			}
			if spent > floodBudget {
				t.Errorf("allocated %d bytes, want at most %d", spent, floodBudget)
			}
			calcSpecSmoke(t, url+"/")
		})
	}
}

// Deep nesting is refused with a clear error before any decoder
// recurses into it: deeper than the server's MaxDepth is an Invalid
// Request, and deeper than encoding/json's own limit (10000) does not
// even parse.
func TestDeepNestingIsRefusedClearly(t *testing.T) {
	s := NewServer()
	if err := s.RegisterFunction("echo", func(v any) any { return v }); err != nil {
		t.Fatal(err)
	}
	nested := func(depth int) []byte {
		params := "[" + strings.Repeat("[", depth) + strings.Repeat("]", depth) + "]"
		return []byte(`{"jsonrpc":"2.0","method":"echo","params":` + params + `,"id":1}`)
	}
	for _, tc := range []struct {
		name   string
		depth  int
		code   int
		detail string
	}{
		{"within the limit", DefaultMaxDepth - 3, 0, ""},
		{"beyond the server's limit", DefaultMaxDepth + 1, CodeInvalidRequest, "nested deeper than"},
		{"beyond encoding/json's limit", 20000, CodeParseError, "exceeded max depth"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := s.Handle(t.Context(), nested(tc.depth))
			var resp wireResponse
			if err := json.Unmarshal(out, &resp); err != nil {
				t.Fatalf("answer %.200s: %v", out, err)
			}
			if tc.code == 0 {
				if resp.Error != nil {
					t.Fatalf("answer %.200s, want a result", out)
				}
				return
			}
			if resp.Error == nil || resp.Error.Code != tc.code ||
				!strings.Contains(resp.Error.Data.(string), tc.detail) {
				t.Errorf("answer %.300s, want code %d saying %q", out, tc.code, tc.detail)
			}
		})
	}
}

// A batch longer than MaxBatch gets one Invalid Request; a batch of
// exactly MaxBatch is answered in full.
func TestBatchLongerThanTheLimitGetsOneError(t *testing.T) {
	s := NewFunctionServer()
	s.MaxBatch = 10
	batch := func(n int) []byte {
		elems := make([]string, n)
		for i := range elems {
			elems[i] = `{"jsonrpc":"2.0","method":"add","params":[2,3],"id":` + string(rune('0'+i%10)) + `}`
		}
		return []byte("[" + strings.Join(elems, ",") + "]")
	}
	var answers []wireResponse
	if err := json.Unmarshal(s.Handle(t.Context(), batch(10)), &answers); err != nil || len(answers) != 10 {
		t.Fatalf("batch of 10: %d answers, %v", len(answers), err)
	}
	out := s.Handle(t.Context(), batch(11))
	var resp wireResponse
	if err := json.Unmarshal(out, &resp); err != nil || resp.Error == nil ||
		resp.Error.Code != CodeInvalidRequest || string(resp.ID) != "null" {
		t.Fatalf("batch of 11: %s, want one Invalid Request", out)
	}
	t.Logf("batch of 11: %s", out)
}

// A reply larger than MaxReplyBytes is replaced by one server error:
// with the request's id for a single call, with id null for a batch.
func TestReplyLargerThanTheLimitBecomesOneError(t *testing.T) {
	s := NewServer()
	s.MaxReplyBytes = 1000
	if err := s.RegisterFunction("repeat", strings.Repeat, "s", "n"); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, body, id string }{
		{"one call", `{"jsonrpc":"2.0","method":"repeat","params":["x",2000],"id":7}`, "7"},
		{"a batch", `[` + strings.Repeat(`{"jsonrpc":"2.0","method":"repeat","params":["x",100],"id":1},`, 20) +
			`{"jsonrpc":"2.0","method":"repeat","params":["x",1],"id":2}]`, "null"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := s.Handle(t.Context(), []byte(tc.body))
			var resp wireResponse
			if err := json.Unmarshal(out, &resp); err != nil || resp.Error == nil ||
				resp.Error.Code != CodeServerError || string(resp.ID) != tc.id {
				t.Fatalf("answer %.300s, want one server error with id %s", out, tc.id)
			}
			t.Logf("%s", out)
		})
	}
	// Small replies are untouched.
	out := s.Handle(context.Background(), []byte(`{"jsonrpc":"2.0","method":"repeat","params":["x",3],"id":1}`))
	if string(out) != `{"jsonrpc":"2.0","result":"xxx","id":1}` {
		t.Errorf("small reply: %s", out)
	}
}

// MaxConcurrentRequests is a count of calls in flight, so the test
// counts them: six clients call a method that holds until released,
// one at a time, and never more than two are inside it at once; all
// six finish.
func TestHTTPServerRunsAtMostMaxConcurrentRequests(t *testing.T) {
	var inFlight, most atomic.Int32
	release := make(chan struct{})
	s := NewServer()
	err := s.RegisterFunction("hold", func() {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		<-release
	})
	if err != nil {
		t.Fatal(err)
	}
	url := startServer(t, &HTTPServer{Handler: s, MaxConcurrentRequests: 2})

	var wg sync.WaitGroup
	for range 6 {
		wg.Go(func() {
			if err := NewClient(url, nil).Call(t.Context(), "hold", nil, nil); err != nil {
				t.Error(err)
			}
		})
	}
	for inFlight.Load() < 2 {
		time.Sleep(time.Millisecond) // until the first two are inside
	}
	// Let the calls out one at a time, so that the others have every
	// chance to crowd in if the limit did not hold them back.
	for range 6 {
		release <- struct{}{}
	}
	wg.Wait()
	if m := most.Load(); m != 2 {
		t.Errorf("at most %d calls in flight, want 2", m)
	}
}
