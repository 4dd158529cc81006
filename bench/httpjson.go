// The plain net/http + encoding/json baseline: the least a JSON-
// over-HTTP call can cost with the standard library. The XML-RPC and
// JSON-RPC servers are expected to come close to it.

package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"
)

type addArgs struct {
	X int `json:"x"`
	Y int `json:"y"`
}

type addResult struct {
	Result int `json:"result"`
}

// serveHTTPJSON answers POST /add with {"result": x+y}.
func serveHTTPJSON(ln net.Listener) *http.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /add", func(w http.ResponseWriter, r *http.Request) {
		var a addArgs
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<16)).Decode(&a); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(addResult{a.X + a.Y})
	})
	mux.HandleFunc("POST /echo", handleEchoJSON) // the payload sweep's echo
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go srv.Serve(ln)
	return srv
}

type httpJSONClient struct {
	url string
	hc  *http.Client
}

func dialHTTPJSON(_ context.Context, _ *env, addr string) (Client, error) {
	return &httpJSONClient{url: "http://" + addr + "/add", hc: newHTTPClient()}, nil
}

func (c *httpJSONClient) Add(ctx context.Context, x, y int) (int, error) {
	body, err := json.Marshal(addArgs{x, y})
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return 0, err
	}
	// Reading the body to its end lets the connection be reused.
	defer func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return 0, fmt.Errorf("http: %s", resp.Status)
	}
	var r addResult
	if err := json.NewDecoder(resp.Body).Decode(&r); err != nil {
		return 0, fmt.Errorf("decode: %w", err)
	}
	return checkSum(r.Result, nil)
}

func (c *httpJSONClient) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}
