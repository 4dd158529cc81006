//go:build !solutions

package exercises

import "net/http"

// AddHandler is a JSON-RPC 2.0 server for one method, add, written by
// hand: no library, only the specification's rules for one request
// (batches are not asked for). The test calls it from Python's
// jsonrpclib and sends it raw bodies from Go. It must:
//
//   - answer add with params [x, y] with {"jsonrpc": "2.0", "result":
//     x+y, "id": the request's id}, with Content-Type application/json;
//   - answer any other method with the error code -32601 (Method not
//     found), and params that are not two integers with -32602;
//   - answer a body that is not JSON with -32700 (Parse error) and
//     "id": null, since the id could not be read;
//   - answer a notification (a request with no "id" member) with
//     nothing: HTTP 204 No Content and no body.
//
// An error reply is {"jsonrpc": "2.0", "error": {"code": …, "message":
// …}, "id": …}.
type AddHandler struct{}

// ServeHTTP answers one JSON-RPC request.
//
// Your code here. Decode the body into a struct whose ID field is a
// json.RawMessage: absent, it stays nil (a notification); null, it
// holds the four bytes null.
func (AddHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "not implemented: write AddHandler.ServeHTTP in 03-jsonrpc/exercises/byhand.go",
		http.StatusNotImplemented)
}
