//go:build exercises

package exercises_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestAddHandlerFollowsTheSpecificationForOneRequest(t *testing.T) {
	pypeer.Require(t, "jsonrpclib")
	ts := httptest.NewServer(exercises.AddHandler{})
	defer ts.Close()

	out := pypeer.Run(t, t.Context(), "testdata/add_client.py", ts.URL+"/")
	for _, want := range []string{"add(2, 3) = 5", "add(0, 0) = 0", "nope() ProtocolError -32601"} {
		if !strings.Contains(out, want+"\n") {
			t.Fatalf("Python's jsonrpclib printed:\n%s\nwant a line %q. Look at AddHandler.ServeHTTP in byhand.go.", out, want)
		}
	}

	post := func(body string) (*http.Response, string) {
		resp, err := http.Post(ts.URL, "application/json", strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	if resp, body := post(`{"jsonrpc": "2.0", "method": "add", "params": [1, 1]}`); resp.StatusCode != http.StatusNoContent || body != "" {
		t.Errorf("a notification got %s %q; want 204 No Content and no body", resp.Status, body)
	}
	_, body := post(`{"jsonrpc": "2.0", "method": "add", "params": "nope", "id": 7}`)
	checkError(t, "params \"nope\"", body, -32602, "7")
	_, body = post(`{"jsonrpc": "2.0", "method": "add", "par`)
	checkError(t, "a body cut short", body, -32700, "null")
}

// checkError fails the test unless body is an error reply with code and
// the id given (as JSON).
func checkError(t *testing.T, what, body string, code int, id string) {
	t.Helper()
	var r struct {
		JSONRPC string
		Error   struct{ Code int }
		ID      json.RawMessage
	}
	if err := json.Unmarshal([]byte(body), &r); err != nil || r.JSONRPC != "2.0" || r.Error.Code != code || string(r.ID) != id {
		t.Errorf("%s got the answer %q; want {\"jsonrpc\": \"2.0\", \"error\": {\"code\": %d, …}, \"id\": %s}",
			what, body, code, id)
	}
}
