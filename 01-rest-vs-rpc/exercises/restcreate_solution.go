//go:build solutions

package exercises

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// CreateCalculation is the REST way to "call add": it creates a
// calculation resource on the server at baseURL and returns the created
// resource's URL, taken from the answer's Location header, and its
// result.
func CreateCalculation(ctx context.Context, hc *http.Client, baseURL, op string, x, y int) (location string, result int, err error) {
	body, err := json.Marshal(map[string]any{"operation": op, "x": x, "y": y})
	if err != nil {
		return "", 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, baseURL+"/calculations", bytes.NewReader(body))
	if err != nil {
		return "", 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return "", 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		problem, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<10))
		return "", 0, fmt.Errorf("POST /calculations: %s: %s", resp.Status, problem)
	}
	var c restrpc.Calculation
	if err := json.NewDecoder(resp.Body).Decode(&c); err != nil {
		return "", 0, fmt.Errorf("decode the created calculation: %w", err)
	}
	base, err := url.Parse(baseURL)
	if err != nil {
		return "", 0, err
	}
	loc, err := base.Parse(resp.Header.Get("Location"))
	if err != nil {
		return "", 0, fmt.Errorf("location: %w", err)
	}
	return loc.String(), c.Result, nil
}
