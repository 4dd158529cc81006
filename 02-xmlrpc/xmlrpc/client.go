// The client side is Python's ServerProxy without the magic:
// Python turns proxy.add(2, 3) into a call by intercepting the
// attribute add; in Go we name the method in a string. Each call is
// one HTTP POST of a <methodCall> and one <methodResponse> back.

package xmlrpc

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// The defaults of the [Client] fields.
const (
	DefaultTimeout          = 30 * time.Second
	DefaultMaxResponseBytes = 10 << 20
)

// Client calls one XML-RPC endpoint. Make it with [NewClient], then set
// its fields before the first call, as with [net/http.Client]; a zero
// field means the default named beside it. It is safe for concurrent
// use and reuses connections when the server allows it.
type Client struct {
	// HTTPClient sends the requests. Nil means the client's own, whose
	// transport keeps more idle connections per host than the default
	// 2, so parallel callers reuse connections instead of opening (and
	// leaving in TIME_WAIT) a new one per call.
	HTTPClient *http.Client

	// Timeout bounds each call (default [DefaultTimeout]); the call's
	// context may end it sooner. A negative Timeout means no bound
	// beyond the context's.
	Timeout time.Duration

	// MaxResponseBytes caps the response body the client reads
	// (default [DefaultMaxResponseBytes]).
	MaxResponseBytes int64

	// WireLog, if set, receives every request and response body, to
	// see what travels (the client program's -wire flag).
	WireLog io.Writer

	url string
	own *http.Client
}

// NewClient returns a client for endpoint, e.g.
// "http://127.0.0.1:8088". With no path, "/RPC2" is used, as
// ServerProxy does.
func NewClient(endpoint string) (*Client, error) {
	u, err := url.Parse(endpoint)
	if err != nil {
		return nil, fmt.Errorf("parse endpoint: %w", err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("endpoint %q: scheme must be http or https", endpoint)
	}
	if u.Path == "" {
		u.Path = "/RPC2"
	}
	own := &http.Client{}
	if def, ok := http.DefaultTransport.(*http.Transport); ok {
		tr := def.Clone()
		tr.MaxIdleConnsPerHost = 64
		own.Transport = tr
	}
	return &Client{url: u.String(), own: own}, nil
}

// httpClient is HTTPClient, or the client's own.
func (c *Client) httpClient() *http.Client {
	if c.HTTPClient != nil {
		return c.HTTPClient
	}
	return c.own
}

// Close closes the client's idle connections. Calls made after it
// open new ones.
func (c *Client) Close() error {
	c.httpClient().CloseIdleConnections()
	return nil
}

// HTTPError is a reply that is not XML-RPC at all: a status other
// than 200 (404 for a wrong path, 413 for a body too big, …).
type HTTPError struct {
	StatusCode int
	Status     string
	Body       string // the start of the body, for the message
}

func (e *HTTPError) Error() string {
	return fmt.Sprintf("xmlrpc: HTTP %s: %s", e.Status, e.Body)
}

// Call calls method with params and returns the decoded result
// (see value.go for the Go types). The error is a [*Fault] if the
// server answered with a fault, an [*HTTPError] for a non-200 reply,
// or a wrapped transport or decoding error.
func (c *Client) Call(ctx context.Context, method string, params ...any) (any, error) {
	body, err := EncodeCall(method, params...)
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: encode %s: %w", method, err)
	}
	resp, err := c.roundTrip(ctx, body)
	if err != nil {
		return nil, fmt.Errorf("xmlrpc: call %s: %w", method, err)
	}
	result, err := DecodeResponse(bytes.NewReader(resp))
	if err != nil {
		if _, isFault := err.(*Fault); isFault {
			return nil, err
		}
		return nil, fmt.Errorf("xmlrpc: %s: decode response: %w", method, err)
	}
	return result, nil
}

// CallInto is [Call] followed by [Unmarshal] into reply, which
// must be a pointer: var sum int; c.CallInto(ctx, &sum, "add", 2, 3).
func (c *Client) CallInto(ctx context.Context, reply any, method string, params ...any) error {
	result, err := c.Call(ctx, method, params...)
	if err != nil {
		return err
	}
	if err := Unmarshal(result, reply); err != nil {
		return fmt.Errorf("xmlrpc: %s result: %w", method, err)
	}
	return nil
}

// CallAs is CallInto returning the value:
//
//	sum, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3)
func CallAs[T any](ctx context.Context, c *Client, method string, params ...any) (T, error) {
	var v T
	err := c.CallInto(ctx, &v, method, params...)
	return v, err
}

// MulticallResult is one answer in a system.multicall: a value or
// a fault.
type MulticallResult struct {
	Value any
	Fault *Fault
}

// MulticallEntry is one call in a Multicall.
type MulticallEntry struct {
	Method string
	Params []any
}

// Multicall sends several calls in one request with
// system.multicall, like Python's xmlrpc.client.MultiCall.
func (c *Client) Multicall(ctx context.Context, calls ...MulticallEntry) ([]MulticallResult, error) {
	arg := make([]map[string]any, len(calls))
	for i, e := range calls {
		arg[i] = map[string]any{"methodName": e.Method, "params": nonNil(e.Params)}
	}
	var raw []any
	if err := c.CallInto(ctx, &raw, "system.multicall", arg); err != nil {
		return nil, err
	}
	if len(raw) != len(calls) {
		return nil, fmt.Errorf("xmlrpc: system.multicall: %d results for %d calls", len(raw), len(calls))
	}
	out := make([]MulticallResult, len(raw))
	for i, r := range raw {
		switch r := r.(type) {
		case []any:
			if len(r) != 1 {
				return nil, fmt.Errorf("xmlrpc: system.multicall: result %d has %d values", i+1, len(r))
			}
			out[i].Value = r[0]
		case map[string]any:
			f, err := faultFromValue(r)
			if err != nil {
				return nil, fmt.Errorf("xmlrpc: system.multicall: result %d: %w", i+1, err)
			}
			out[i].Fault = f
		default:
			return nil, fmt.Errorf("xmlrpc: system.multicall: result %d is %s", i+1, typeName(r))
		}
	}
	return out, nil
}

// roundTrip POSTs one request body and returns the response body.
func (c *Client) roundTrip(ctx context.Context, body []byte) ([]byte, error) {
	if timeout := c.Timeout; timeout >= 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, or(timeout, DefaultTimeout))
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "text/xml")
	req.Header.Set("User-Agent", "rpc-course-xmlrpc/1")
	if c.WireLog != nil {
		fmt.Fprintf(c.WireLog, "--> POST %s\n%s", req.URL.Path, body)
	}
	resp, err := c.httpClient().Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()

	// Read one byte past the cap to know whether it was exceeded.
	limit := or(c.MaxResponseBytes, DefaultMaxResponseBytes)
	data, err := io.ReadAll(io.LimitReader(resp.Body, limit+1))
	if err != nil {
		return nil, fmt.Errorf("read response: %w", err)
	}
	if c.WireLog != nil {
		fmt.Fprintf(c.WireLog, "<-- %s\n%s", resp.Status, data)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, &HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Body: clip(strings.TrimSpace(string(data)))}
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("response body over %d bytes", limit)
	}
	return data, nil
}
