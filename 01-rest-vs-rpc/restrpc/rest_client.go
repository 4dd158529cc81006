// A REST client does not call a function: it builds an HTTP request
// for a resource, sends it, and reads the status code and the
// representation that come back. The client knows URIs and JSON
// shapes, not the server's method names.

package restrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"
)

// maxResponse caps what the client reads of a response: enough for
// the list of all the calculations a server keeps.
const maxResponse = 1 << 20

// RESTClient talks to a [RESTHandler]. It is safe for concurrent use.
type RESTClient struct {
	base string
	http *http.Client
}

// NewRESTClient returns a client for the server at baseURL (such as
// "http://127.0.0.1:8000"). A nil hc gets a client of its own, with a
// connection pool big enough for parallel calls.
func NewRESTClient(baseURL string, hc *http.Client) *RESTClient {
	if hc == nil {
		hc = newHTTPClient(nil)
	}
	return &RESTClient{base: strings.TrimSuffix(baseURL, "/"), http: hc}
}

// Create is POST /calculations: it asks the server to make a
// calculation resource and returns it, result included.
func (c *RESTClient) Create(ctx context.Context, op string, x, y int) (Calculation, error) {
	body, err := json.Marshal(calculationRequest{Operation: op, X: &x, Y: &y})
	if err != nil {
		return Calculation{}, fmt.Errorf("encode calculation: %w", err)
	}
	var out Calculation
	err = c.do(ctx, http.MethodPost, "/calculations", body, http.StatusCreated, &out)
	return out, err
}

// Get is GET /calculations/{id}: it reads back a calculation made
// earlier, which no RPC call could do.
func (c *RESTClient) Get(ctx context.Context, id int) (Calculation, error) {
	var out Calculation
	err := c.do(ctx, http.MethodGet, fmt.Sprintf("/calculations/%d", id), nil, http.StatusOK, &out)
	return out, err
}

// List is GET /calculations.
func (c *RESTClient) List(ctx context.Context) ([]Calculation, error) {
	var out []Calculation
	err := c.do(ctx, http.MethodGet, "/calculations", nil, http.StatusOK, &out)
	return out, err
}

// Delete is DELETE /calculations/{id}.
func (c *RESTClient) Delete(ctx context.Context, id int) error {
	return c.do(ctx, http.MethodDelete, fmt.Sprintf("/calculations/%d", id), nil, http.StatusNoContent, nil)
}

// Add and its siblings make the REST client look like the RPC ones,
// so the same specification and benchmark can run over both. Each is
// one POST /calculations.
func (c *RESTClient) Add(ctx context.Context, x, y int) (int, error) {
	return c.result(ctx, OpAdd, x, y)
}

// Subtract is one POST /calculations with operation "subtract".
func (c *RESTClient) Subtract(ctx context.Context, x, y int) (int, error) {
	return c.result(ctx, OpSubtract, x, y)
}

// Multiply is one POST /calculations with operation "multiply".
func (c *RESTClient) Multiply(ctx context.Context, x, y int) (int, error) {
	return c.result(ctx, OpMultiply, x, y)
}

// Divide is one POST /calculations with operation "divide".
func (c *RESTClient) Divide(ctx context.Context, x, y int) (int, error) {
	return c.result(ctx, OpDivide, x, y)
}

// Close drops the idle keep-alive connections.
func (c *RESTClient) Close() error {
	c.http.CloseIdleConnections()
	return nil
}

func (c *RESTClient) result(ctx context.Context, op string, x, y int) (int, error) {
	calc, err := c.Create(ctx, op, x, y)
	if err != nil {
		return 0, err
	}
	return calc.Result, nil
}

// do sends one request and decodes the answer. Any status other than
// want becomes a *Problem, read from the body when the server sent
// one, or made up from the status line when it did not.
func (c *RESTClient) do(ctx context.Context, method, path string, body []byte, want int, out any) error {
	var rd io.Reader
	if body != nil {
		rd = bytes.NewReader(body)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.base+path, rd)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %w", method, path, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, maxResponse))
	if err != nil {
		return fmt.Errorf("%s %s: read body: %w", method, path, err)
	}
	if resp.StatusCode != want {
		return fmt.Errorf("%s %s: %w", method, path, readProblem(resp, data))
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		return fmt.Errorf("%s %s: decode body: %w", method, path, err)
	}
	return nil
}

// readProblem turns an error response into a *Problem.
func readProblem(resp *http.Response, data []byte) *Problem {
	p := &Problem{}
	mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type"))
	if mt == ProblemContentType {
		_ = json.Unmarshal(data, p)
	}
	p.Status = resp.StatusCode
	if p.Title == "" {
		p.Title = http.StatusText(resp.StatusCode)
	}
	return p
}

// newHTTPClient is an HTTP client whose pool keeps up to 64 idle
// connections to the server (the default 2 would make parallel
// callers open and close connections all the time). A non-nil dial
// replaces how connections are made, which is how a [Tap] sees them.
func newHTTPClient(dial dialFunc) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.Proxy = nil // always talk to the server itself
	t.MaxIdleConnsPerHost = 64
	if dial != nil {
		t.DialContext = dial
	}
	return &http.Client{Transport: t}
}
