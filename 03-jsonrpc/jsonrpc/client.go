// The client: turn a Go call into a Request object, POST it, and turn
// the Response back into a Go value or a Go error. Like Python's
// ServerProxy, it makes a remote method look like a function call; it
// also speaks the two things ServerProxy hides: notifications and
// batches.

package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// maxResponseBytes caps what the client reads back, for the same
// reason the server caps what it reads.
const maxResponseBytes = 16 << 20

// A Client calls the JSON-RPC server at one URL. It is safe for
// concurrent use; share one per server (it keeps connections open).
type Client struct {
	url    string
	http   *http.Client
	auth   json.RawMessage
	nextID *atomic.Uint64
}

// NewClient returns a client for url, e.g. http://127.0.0.1:8080/.
// A nil hc gets a client with a 30-second timeout per call and enough
// idle connections for many goroutines calling at once.
func NewClient(url string, hc *http.Client) *Client {
	if hc == nil {
		tr := http.DefaultTransport.(*http.Transport).Clone()
		tr.MaxIdleConnsPerHost = 64
		hc = &http.Client{Transport: tr, Timeout: 30 * time.Second}
	}
	return &Client{url: url, http: hc, nextID: new(atomic.Uint64)}
}

// WithAuth returns a client that sends token in every request's
// auth member, the Zabbix extension. The two clients share
// connections and the id counter.
func (c *Client) WithAuth(token string) *Client {
	c2 := *c
	c2.auth, _ = json.Marshal(token)
	return &c2
}

// An HTTPError is an answer that is not JSON-RPC at all: a status
// other than 200, e.g. 405 for a GET or 413 for a huge body.
type HTTPError struct {
	StatusCode int
	Status     string
	Body       string
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("jsonrpc: HTTP %s: %s", e.Status, e.Body)
}

// wireRequest is a Request object as the client writes it. A nil ID
// is left out, which is what makes a notification.
type wireRequest struct {
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
	ID      json.RawMessage `json:"id,omitempty"`
	Auth    json.RawMessage `json:"auth,omitempty"`
}

// wireResponse is a Response object as the client reads it. Error
// is a pointer so that its absence is visible.
type wireResponse struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result"`
	Error   *Error          `json:"error"`
	ID      json.RawMessage `json:"id"`
}

// Call calls method and decodes its result into result (a
// pointer, or nil to drop it). params is nil for none, a slice or
// array for params by position ([]int{2, 3}), or a map or struct for
// params by name (map[string]int{"x": 2, "y": 3}). A server-side
// failure comes back as an *Error.
func (c *Client) Call(ctx context.Context, method string, params, result any) error {
	req, err := c.newRequest(method, params, false)
	if err != nil {
		return err
	}
	body, err := c.post(ctx, mustMarshal(req))
	if err != nil {
		return fmt.Errorf("call %s: %w", method, err)
	}
	var resp wireResponse
	if len(body) == 0 || body[0] != '{' {
		return fmt.Errorf("call %s: want one response object, got %q", method, clip(body))
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		return fmt.Errorf("call %s: decode response: %w", method, err)
	}
	if resp.Error == nil && !bytes.Equal(resp.ID, req.ID) {
		return fmt.Errorf("call %s: response id %s, want %s", method, resp.ID, req.ID)
	}
	return decodeResult(resp, result)
}

// Notify sends method as a notification: no id, so no answer and no
// way to learn whether it worked. Only transport failures are reported.
func (c *Client) Notify(ctx context.Context, method string, params any) error {
	req, err := c.newRequest(method, params, true)
	if err != nil {
		return err
	}
	body, err := c.post(ctx, mustMarshal(req))
	if err != nil {
		return fmt.Errorf("notify %s: %w", method, err)
	}
	if len(bytes.TrimSpace(body)) != 0 {
		return fmt.Errorf("notify %s: server answered a notification: %q", method, clip(body))
	}
	return nil
}

// A BatchElem is one call in a batch. Fill in Method, Params and
// Result (or Notify); [Client.Batch] fills in Error.
type BatchElem struct {
	Method string
	Params any
	// Result points to where the result goes; nil drops it.
	Result any
	// Notify sends this element as a notification.
	Notify bool
	// Error is this call's own failure, usually an *Error.
	Error error
}

// Batch sends all elements in one HTTP request, as a JSON array, and
// matches the answers back to the elements by id (the server may answer
// in any order). It returns an error only when the batch as a whole
// failed; each element's failure is in its Error field. An empty
// batch is sent as [], which the server must reject.
func (c *Client) Batch(ctx context.Context, elems []BatchElem) error {
	reqs := make([]wireRequest, len(elems))
	byID := make(map[string]*BatchElem, len(elems))
	for i := range elems {
		e := &elems[i]
		e.Error = nil
		r, err := c.newRequest(e.Method, e.Params, e.Notify)
		if err != nil {
			return fmt.Errorf("batch element %d: %w", i, err)
		}
		reqs[i] = r
		if !e.Notify {
			byID[string(r.ID)] = e
		}
	}
	if len(reqs) == 0 {
		reqs = []wireRequest{} // [], not null
	}
	body, err := c.post(ctx, mustMarshal(reqs))
	if err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	body = bytes.TrimSpace(body)
	switch {
	case len(body) == 0 && len(byID) == 0:
		return nil // only notifications: nothing comes back
	case len(body) > 0 && body[0] == '{':
		// One object instead of an array: the batch itself was refused.
		var resp wireResponse
		if err := json.Unmarshal(body, &resp); err != nil || resp.Error == nil {
			return fmt.Errorf("batch: unexpected answer %q", clip(body))
		}
		return fmt.Errorf("batch: %w", resp.Error)
	}
	var resps []wireResponse
	if err := json.Unmarshal(body, &resps); err != nil {
		return fmt.Errorf("batch: decode responses: %w", err)
	}
	for _, resp := range resps {
		e, ok := byID[string(resp.ID)]
		if !ok {
			return fmt.Errorf("batch: response for unknown id %s: %v", resp.ID, resp.Error)
		}
		e.Error = decodeResult(resp, e.Result)
		delete(byID, string(resp.ID))
	}
	for id, e := range byID {
		e.Error = fmt.Errorf("batch: no response for %s (id %s)", e.Method, id)
	}
	return nil
}

// newRequest builds a Request object. Params must encode to a JSON
// array or object; checking here gives a clear local error instead of
// an Invalid Request from the server.
func (c *Client) newRequest(method string, params any, notify bool) (wireRequest, error) {
	r := wireRequest{JSONRPC: Version, Method: method, Auth: c.auth}
	if params != nil {
		p, err := json.Marshal(params)
		if err != nil {
			return r, fmt.Errorf("encode params of %s: %w", method, err)
		}
		if p[0] != '[' && p[0] != '{' && string(p) != "null" {
			return r, fmt.Errorf("params of %s must be a slice, array, map or struct, not %T",
				method, params)
		}
		if string(p) != "null" {
			r.Params = p
		}
	}
	if !notify {
		r.ID = strconv.AppendUint(nil, c.nextID.Add(1), 10)
	}
	return r, nil
}

// post sends one HTTP request and returns the body of a 200 answer.
func (c *Client) post(ctx context.Context, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if len(data) > maxResponseBytes {
		return nil, fmt.Errorf("response larger than %d bytes", maxResponseBytes)
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNoContent {
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status,
			Body: string(bytes.TrimSpace(clip(data)))}
	}
	return data, nil
}

// decodeResult turns one response into the caller's value or error.
func decodeResult(resp wireResponse, result any) error {
	if resp.JSONRPC != Version {
		return fmt.Errorf("response is not JSON-RPC %s (jsonrpc=%q)", Version, resp.JSONRPC)
	}
	if resp.Error != nil {
		return resp.Error
	}
	if result == nil {
		return nil
	}
	if resp.Result == nil {
		return errors.New("response has neither result nor error")
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("decode result: %w", err)
	}
	return nil
}

// clip shortens a body for an error message.
func clip(b []byte) []byte {
	if len(b) > 200 {
		return append(b[:200:200], "…"...)
	}
	return b
}
