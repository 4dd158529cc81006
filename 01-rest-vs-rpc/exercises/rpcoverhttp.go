//go:build !solutions

package exercises

import (
	"context"
	"errors"
	"net/rpc"
)

// DialHTTP connects to a net/rpc server that is served over HTTP, at
// the path /_goRPC_ of addr (host:port), and returns a client for it.
//
// Over HTTP, net/rpc sends one request and then leaves HTTP behind:
//
//	CONNECT /_goRPC_ HTTP/1.0
//
// (and an empty line). The server answers with the status line
//
//	HTTP/1.0 200 Connected to Go RPC
//
// and an empty line, and from then on the connection carries the same
// gob stream as plain TCP.
//
// Your code here. Dial addr (honour ctx, for instance with a
// [net.Dialer]), write the CONNECT request, read the answer with
// [http.ReadResponse] (Method CONNECT), check its status is 200, then
// wrap the connection with [rpc.NewClient]. rpc.DialHTTP does all this;
// write it yourself to see the handshake, and ask: is this "REST" now?
func DialHTTP(ctx context.Context, addr string) (*rpc.Client, error) {
	return nil, errors.New("not implemented: write DialHTTP in 01-rest-vs-rpc/exercises/rpcoverhttp.go")
}
