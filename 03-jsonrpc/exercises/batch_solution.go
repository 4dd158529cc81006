//go:build solutions

package exercises

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
)

// SendBatch sends one JSON-RPC 2.0 batch to the server at url, by hand,
// and returns the replies it got, one raw JSON object each.
func SendBatch(ctx context.Context, hc *http.Client, url string) ([]json.RawMessage, error) {
	const batch = `[
		{"jsonrpc": "2.0", "method": "add", "params": [2, 3], "id": 1},
		{"jsonrpc": "2.0", "method": "multiply", "params": [4, 5], "id": 2},
		{"jsonrpc": "2.0", "method": "log", "params": ["sent in a batch"]}
	]`
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(batch))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("POST %s: %s", url, resp.Status)
	}
	var replies []json.RawMessage
	if err := json.NewDecoder(resp.Body).Decode(&replies); err != nil {
		return nil, fmt.Errorf("decode the batch's replies: %w", err)
	}
	return replies, nil
}
