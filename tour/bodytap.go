package main

import (
	"bytes"
	"io"
	"net/http"
)

// A bodyTap is an http.RoundTripper that keeps a copy of the last
// request and response bodies, so the tour can show what a JSON-RPC client
// put on the wire without the lesson's client having to offer a hook.
type bodyTap struct {
	next      http.RoundTripper
	sent, got []byte
	status    string
}

func (t *bodyTap) RoundTrip(req *http.Request) (*http.Response, error) {
	t.sent, t.got = nil, nil
	if req.Body != nil {
		b, err := io.ReadAll(req.Body)
		req.Body.Close()
		if err != nil {
			return nil, err
		}
		t.sent = b
		req.Body = io.NopCloser(bytes.NewReader(b))
	}
	resp, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	t.got, t.status = b, resp.Status
	resp.Body = io.NopCloser(bytes.NewReader(b))
	return resp, nil
}
