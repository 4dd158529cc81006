//go:build solutions

package exercises

import (
	"encoding/json"
	"net/http"
)

// AddHandler is a JSON-RPC 2.0 server for one method, add, written by
// hand.
type AddHandler struct{}

// request is one JSON-RPC request; ID stays nil when the member is
// absent (a notification).
type request struct {
	JSONRPC string          `json:"jsonrpc"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	ID      json.RawMessage `json:"id"`
}

// rpcError is the specification's Error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

// response is a reply: a result or an error, and the request's id.
type response struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

// ServeHTTP answers one JSON-RPC request.
func (AddHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var req request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		reply(w, response{Error: &rpcError{-32700, "Parse error"}, ID: json.RawMessage("null")})
		return
	}
	if req.ID == nil {
		w.WriteHeader(http.StatusNoContent) // a notification: no answer
		return
	}
	resp := response{ID: req.ID}
	var xy []int
	switch {
	case req.Method != "add":
		resp.Error = &rpcError{-32601, "Method not found"}
	case json.Unmarshal(req.Params, &xy) != nil || len(xy) != 2:
		resp.Error = &rpcError{-32602, "Invalid params"}
	default:
		resp.Result, _ = json.Marshal(xy[0] + xy[1])
	}
	reply(w, resp)
}

// reply writes resp as the HTTP answer's JSON body.
func reply(w http.ResponseWriter, resp response) {
	resp.JSONRPC = "2.0"
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(resp)
}
