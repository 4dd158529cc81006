package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

// FuzzDecodeRequests feeds the decoder, and the server behind it,
// arbitrary bodies. Whatever comes in: no panic, every decoded request
// obeys the specification's rules, and the answer is valid JSON-RPC (or
// nothing). Seeds: the specification's examples and our bad inputs; run
// go test -fuzz FuzzDecodeRequests ./03-jsonrpc/jsonrpc to search further.
func FuzzDecodeRequests(f *testing.F) {
	for _, ex := range specExamples {
		f.Add([]byte(ex.request))
	}
	for _, seed := range []string{
		``, `[]`, `{}`, `null`, `[null]`, `[[]]`, `"x"`, `{"jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","method":"sum","params":[1,2,4],"id":1e400}`,
		`{"jsonrpc":"2.0","method":"subtract","params":{"minuend":1},"id":[1]}`,
		`{"jsonrpc":"2.0","method":"get_data","id":"\ud800"}`,
		`[{"jsonrpc":"2.0","method":"update","params":[1,2,3,4,5]},1,{"foo":1}]`,
	} {
		f.Add([]byte(seed))
	}
	srv, _ := specServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		reqs, batch, perr := DecodeRequests(body)
		if perr != nil && len(reqs) > 0 {
			t.Fatalf("both an error and requests")
		}
		for _, r := range reqs {
			checkRequest(t, r)
		}
		if batch && perr == nil && len(reqs) == 0 {
			t.Fatalf("empty batch accepted")
		}

		out := srv.Handle(context.Background(), body)
		if out == nil {
			// Only valid notifications go unanswered.
			for _, r := range reqs {
				if r.Invalid != nil || !r.IsNotification() {
					t.Fatalf("no answer to %v", r)
				}
			}
			if perr != nil || len(reqs) == 0 {
				t.Fatalf("no answer to a bad body")
			}
			return
		}
		var resps []Response
		if out[0] == '[' {
			if !batch || json.Unmarshal(out, &resps) != nil {
				t.Fatalf("bad batch answer %s", out)
			}
		} else {
			var one Response
			if json.Unmarshal(out, &one) != nil {
				t.Fatalf("bad answer %s", out)
			}
			resps = append(resps, one)
		}
		for _, r := range resps {
			if r.JSONRPC != Version || (r.Error == nil) == (r.Result == nil) || r.ID == nil {
				t.Fatalf("bad response %s", out)
			}
		}
	})
}

// checkRequest states what a decoded request guarantees.
func checkRequest(t *testing.T, r Request) {
	if r.Invalid != nil {
		if r.Invalid.Code != CodeInvalidRequest {
			t.Fatalf("invalid element with code %d", r.Invalid.Code)
		}
		return
	}
	if p := r.Params; p != nil && p[0] != '[' && p[0] != '{' {
		t.Fatalf("params %s accepted", p)
	}
	if r.ID != nil && !validID(r.ID) {
		t.Fatalf("id %s accepted", r.ID)
	}
	if r.ID != nil && !json.Valid(r.ID) {
		t.Fatalf("id %q is not JSON", r.ID)
	}
}

// FuzzServeHTTP sends arbitrary bodies through the whole HTTP handler,
// with small limits so that the fuzzer reaches them: the answer is
// HTTP 200 with a valid JSON-RPC answer (or none) within the reply
// limit, or 413 for a body over the body limit; never a panic.
//
//	go test -run '^$' -fuzz '^FuzzServeHTTP$' -fuzztime 30s ./03-jsonrpc/jsonrpc
func FuzzServeHTTP(f *testing.F) {
	for _, ex := range specExamples {
		f.Add([]byte(ex.request))
	}
	for _, seed := range []string{
		``, `[]`, `[1,1,1,1,1,1,1,1,1,1]`, `[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]`,
		`{"jsonrpc":"2.0","method":"sum","params":[1,2,3,4,5,6],"id":1}`,
		`{"jsonrpc":"2.0","method":"subtract","params":{"minuend":1,"subtrahend":2,"x":3},"id":"a"}`,
		`{"jsonrpc":"2.0","method":"get_data","id":1,"Method":"x","jsonrpc":"1.0"}`,
		`{"jsonrpc":"2.0","me\u0074hod":"get_data","id":1}`,
	} {
		f.Add([]byte(seed))
	}
	srv, _ := specServer(f)
	srv.MaxBodyBytes, srv.MaxBatch, srv.MaxDepth, srv.MaxReplyBytes = 4096, 8, 16, 512
	srv.ErrorLog = log.New(io.Discard, "", 0)
	f.Fuzz(func(t *testing.T, body []byte) {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body)))
		out := rec.Body.Bytes()
		switch {
		case rec.Code == http.StatusRequestEntityTooLarge && len(body) > 4096:
			return
		case rec.Code != http.StatusOK:
			t.Fatalf("HTTP %d for a body of %d bytes: %s", rec.Code, len(body), out)
		case len(out) == 0:
			return // only notifications
		case len(out) > 512+200: // the limit, or the one error that replaces a reply over it
			t.Fatalf("reply of %d bytes", len(out))
		case !json.Valid(out):
			t.Fatalf("reply is not JSON: %s", out)
		}
	})
}
