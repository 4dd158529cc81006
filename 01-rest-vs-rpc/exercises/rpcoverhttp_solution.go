//go:build solutions

package exercises

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"net/http"
	"net/rpc"
)

// DialHTTP connects to a net/rpc server that is served over HTTP, at
// the path /_goRPC_ of addr, and returns a client for it.
func DialHTTP(ctx context.Context, addr string) (*rpc.Client, error) {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(conn, "CONNECT %s HTTP/1.0\n\n", rpc.DefaultRPCPath); err != nil {
		conn.Close()
		return nil, err
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: http.MethodConnect})
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("read the CONNECT answer: %w", err)
	}
	if resp.StatusCode != http.StatusOK {
		conn.Close()
		return nil, fmt.Errorf("CONNECT %s: %s", rpc.DefaultRPCPath, resp.Status)
	}
	return rpc.NewClient(conn), nil
}
