package restrpc

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// send makes one raw request to a fresh handler's test server.
func send(t *testing.T, srv *httptest.Server, method, path, contentType, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(method, srv.URL+path, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := srv.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, data
}

func TestRESTCreateReadListDelete(t *testing.T) {
	srv := httptest.NewServer(NewRESTHandler())
	defer srv.Close()

	// POST creates the resource: 201, its URI in Location, and the
	// representation, result included, in the body.
	resp, body := send(t, srv, "POST", "/calculations", "application/json",
		`{"operation":"add","x":2,"y":3}`)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("POST status = %d, want 201; body %s", resp.StatusCode, body)
	}
	if loc := resp.Header.Get("Location"); loc != "/calculations/1" {
		t.Errorf("Location = %q, want /calculations/1", loc)
	}
	want := `{"id":1,"operation":"add","x":2,"y":3,"result":5}`
	if string(body) != want {
		t.Errorf("POST body = %s, want %s", body, want)
	}

	// The resource stays: GET on its URI reads the same representation.
	resp, body = send(t, srv, "GET", "/calculations/1", "", "")
	if resp.StatusCode != http.StatusOK || string(body) != want {
		t.Errorf("GET = %d %s, want 200 %s", resp.StatusCode, body, want)
	}
	resp, body = send(t, srv, "GET", "/calculations", "", "")
	if resp.StatusCode != http.StatusOK || string(body) != "["+want+"]" {
		t.Errorf("GET list = %d %s, want 200 [%s]", resp.StatusCode, body, want)
	}

	// DELETE removes it; afterwards it is not found.
	resp, _ = send(t, srv, "DELETE", "/calculations/1", "", "")
	if resp.StatusCode != http.StatusNoContent {
		t.Errorf("DELETE status = %d, want 204", resp.StatusCode)
	}
	resp, _ = send(t, srv, "GET", "/calculations/1", "", "")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET after DELETE = %d, want 404", resp.StatusCode)
	}
}

// Every error is a status code plus a problem body that says why.
func TestRESTErrorsAreStatusCodesWithProblemBodies(t *testing.T) {
	tests := []struct {
		name         string
		method, path string
		contentType  string
		body         string
		status       int
		detail       string // must appear in the problem's detail
	}{
		{"unknown resource", "GET", "/operations", "", "", 404, "no resource at /operations"},
		{"id not a number", "GET", "/calculations/abc", "", "", 404, "no resource"},
		{"no such calculation", "GET", "/calculations/99", "", "", 404, "no calculation 99"},
		{"delete unknown", "DELETE", "/calculations/99", "", "", 404, "no calculation 99"},
		{"wrong method on collection", "PUT", "/calculations", "", "", 405, "PUT is not allowed"},
		{"wrong method on item", "POST", "/calculations/1", "", "", 405, "POST is not allowed"},
		{"malformed JSON", "POST", "/calculations", "application/json", `{"operation":"add",`, 400, "malformed JSON"},
		{"empty body", "POST", "/calculations", "application/json", ``, 400, "malformed JSON"},
		{"string operand", "POST", "/calculations", "application/json", `{"operation":"add","x":"2","y":3}`, 400, "malformed JSON"},
		{"unknown field", "POST", "/calculations", "application/json", `{"operation":"add","x":2,"y":3,"z":4}`, 400, `unknown field "z"`},
		{"two objects", "POST", "/calculations", "application/json", `{"operation":"add","x":2,"y":3}{}`, 400, "data after the object"},
		{"missing operand", "POST", "/calculations", "application/json", `{"operation":"add","x":2}`, 422, `"x" and "y" are required`},
		{"divide by zero", "POST", "/calculations", "application/json", `{"operation":"divide","x":1,"y":0}`, 422, "division by zero"},
		{"unknown operation", "POST", "/calculations", "application/json", `{"operation":"power","x":1,"y":0}`, 422, `unknown operation "power"`},
		{"not JSON", "POST", "/calculations", "text/plain", `add 2 3`, 415, "send application/json"},
		{"too big", "POST", "/calculations", "application/json", `{"operation":"` + strings.Repeat("a", DefaultMaxRequestBytes) + `"}`, 413, "body over"},
	}
	srv := httptest.NewServer(NewRESTHandler())
	defer srv.Close()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := send(t, srv, tt.method, tt.path, tt.contentType, tt.body)
			if resp.StatusCode != tt.status {
				t.Fatalf("status = %d, want %d; body %s", resp.StatusCode, tt.status, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != ProblemContentType {
				t.Errorf("Content-Type = %q, want %q", ct, ProblemContentType)
			}
			var p Problem
			if err := json.Unmarshal(body, &p); err != nil {
				t.Fatalf("body is not a problem: %v: %s", err, body)
			}
			if p.Status != tt.status || p.Title != http.StatusText(tt.status) || p.Type != "about:blank" {
				t.Errorf("problem = %+v, want status %d titled %q", p, tt.status, http.StatusText(tt.status))
			}
			if !strings.Contains(p.Detail, tt.detail) {
				t.Errorf("detail = %q, want it to contain %q", p.Detail, tt.detail)
			}
			if tt.status == 405 && resp.Header.Get("Allow") == "" {
				t.Error("405 without an Allow header")
			}
		})
	}
}

// The client turns error responses into a *Problem a caller can
// inspect with [errors.As].
func TestRESTClientReturnsProblemsAsErrors(t *testing.T) {
	srv := httptest.NewServer(NewRESTHandler())
	defer srv.Close()
	c := NewRESTClient(srv.URL+"/", nil)
	defer c.Close()
	ctx := t.Context()

	_, err := c.Divide(ctx, 1, 0)
	var p *Problem
	if !errors.As(err, &p) {
		t.Fatalf("Divide(1, 0) error = %v, want a *Problem", err)
	}
	if p.Status != http.StatusUnprocessableEntity || p.Detail != "division by zero" {
		t.Errorf("problem = %+v, want 422 with detail %q", p, "division by zero")
	}

	// A 404 from something that is not our server (no problem body) is
	// still a *Problem, made from the status line.
	plain := httptest.NewServer(http.NotFoundHandler())
	defer plain.Close()
	_, err = NewRESTClient(plain.URL, nil).Add(ctx, 2, 3)
	if !errors.As(err, &p) || p.Status != 404 || p.Title != "Not Found" {
		t.Errorf("error from a plain 404 = %v, want a 404 *Problem", err)
	}
}

func TestRESTClientCreatesReadsListsAndDeletes(t *testing.T) {
	srv := httptest.NewServer(NewRESTHandler())
	defer srv.Close()
	c := NewRESTClient(srv.URL, nil)
	defer c.Close()
	ctx := t.Context()

	made, err := c.Create(ctx, OpMultiply, 6, 7)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Get(ctx, made.ID)
	if err != nil || got != made || got.Result != 42 {
		t.Errorf("Get(%d) = %+v, %v; want %+v", made.ID, got, err, made)
	}
	all, err := c.List(ctx)
	if err != nil || len(all) != 1 || all[0] != made {
		t.Errorf("List = %+v, %v; want [%+v]", all, err, made)
	}
	if err := c.Delete(ctx, made.ID); err != nil {
		t.Fatal(err)
	}
	var p *Problem
	if _, err := c.Get(ctx, made.ID); !errors.As(err, &p) || p.Status != 404 {
		t.Errorf("Get after Delete: %v, want a 404 problem", err)
	}
}

// The server remembers only the last keep calculations, so a long
// benchmark cannot exhaust its memory.
func TestRESTForgetsOldCalculations(t *testing.T) {
	h := NewRESTHandler()
	for i := 0; i < keep+10; i++ {
		req := httptest.NewRequest("POST", "/calculations",
			strings.NewReader(`{"operation":"add","x":1,"y":1}`))
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	if len(h.saved) != keep {
		t.Errorf("server keeps %d calculations, want %d", len(h.saved), keep)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/calculations/1", nil))
	if rec.Code != 404 {
		t.Errorf("oldest calculation: status %d, want 404", rec.Code)
	}
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest("GET", "/calculations/1034", nil))
	if rec.Code != 200 {
		t.Errorf("newest calculation: status %d, want 200", rec.Code)
	}
}

// Whatever a client sends, the REST server answers with a client
// error or a created resource, never a 5xx, a panic or a non-JSON body.
func FuzzCreateCalculation(f *testing.F) {
	f.Add(`{"operation":"add","x":2,"y":3}`)
	f.Add(`{"operation":"divide","x":1,"y":0}`)
	f.Add(`{"operation":"divide","x":-9223372036854775808,"y":-1}`)
	f.Add(`{"operation":"add","x":1e3,"y":3}`)
	f.Add(`{"operation":"add","x":99999999999999999999,"y":3}`)
	f.Add(`[1,2]`)
	f.Add(`null`)
	f.Add(`{"x":null,"y":null}`)
	h := NewRESTHandler()
	f.Fuzz(func(t *testing.T, body string) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/calculations", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case 201, 400, 413, 422:
		default:
			t.Fatalf("status %d for %q: %s", rec.Code, body, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("body for %q is not JSON: %q", body, rec.Body)
		}
	})
}
