// Adapters from the lessons' clients (01–04) to [Client].

package main

import (
	"context"
	"net/http"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// restClient is lesson 01's REST client (POST /calculations) with the
// bench's HTTP client.
type restClient struct {
	c  *restrpc.RESTClient
	hc *http.Client
}

func dialREST(_ context.Context, _ *env, addr string) (Client, error) {
	hc := newHTTPClient()
	return &restClient{restrpc.NewRESTClient("http://"+addr, hc), hc}, nil
}

func (c *restClient) Add(ctx context.Context, x, y int) (int, error) {
	return checkSum(c.c.Add(ctx, x, y))
}

func (c *restClient) Close() error {
	c.hc.CloseIdleConnections()
	return c.c.Close()
}

// netRPCClient is lesson 01's net/rpc client, gob or JSON-RPC 1.0, on
// one shared connection (as net/rpc is meant to be used: calls are
// multiplexed on it).
type netRPCClient struct{ c restrpc.Client }

func dialNetRPC(style restrpc.Style) func(context.Context, *env, string) (Client, error) {
	return func(ctx context.Context, _ *env, addr string) (Client, error) {
		c, err := restrpc.Dial(ctx, style, addr)
		if err != nil {
			return nil, err
		}
		return &netRPCClient{c}, nil
	}
}

func (c *netRPCClient) Add(ctx context.Context, x, y int) (int, error) {
	return checkSum(c.c.Add(ctx, x, y))
}

func (c *netRPCClient) Close() error { return c.c.Close() }

// Lesson 02: the XML-RPC client, against the Go server or Python's.
type xmlRPCClient struct {
	c  *xmlrpc.Client
	hc *http.Client
}

func dialXMLRPC(_ context.Context, _ *env, addr string) (Client, error) {
	hc := newHTTPClient()
	c, err := xmlrpc.NewClient("http://" + addr + "/RPC2")
	if err != nil {
		return nil, err
	}
	c.HTTPClient = hc
	return &xmlRPCClient{c, hc}, nil
}

func (c *xmlRPCClient) Add(ctx context.Context, x, y int) (int, error) {
	return checkSum(xmlrpc.CallAs[int](ctx, c.c, "add", x, y))
}

func (c *xmlRPCClient) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// Lesson 03: the JSON-RPC 2.0 client, against the Go server or
// jsonrpclib's.
type jsonRPC2Client struct {
	c  *jsonrpc.Client
	hc *http.Client
}

func dialJSONRPC2(_ context.Context, _ *env, addr string) (Client, error) {
	hc := newHTTPClient()
	return &jsonRPC2Client{jsonrpc.NewClient("http://"+addr+"/", hc), hc}, nil
}

func (c *jsonRPC2Client) Add(ctx context.Context, x, y int) (int, error) {
	var sum int
	err := c.c.Call(ctx, "add", [2]int{x, y}, &sum)
	return checkSum(sum, err)
}

func (c *jsonRPC2Client) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// zeroRPCClient is lesson 04's zerorpc client: one ZeroMQ connection,
// many channels.
type zeroRPCClient struct{ c *zerorpc.Client }

func dialZeroRPC(_ context.Context, _ *env, addr string) (Client, error) {
	c, err := zerorpc.Dial("tcp://" + addr)
	if err != nil {
		return nil, err
	}
	return &zeroRPCClient{c}, nil
}

func (c *zeroRPCClient) Add(ctx context.Context, x, y int) (int, error) {
	var sum int
	err := c.c.CallInto(ctx, &sum, "add", x, y)
	return checkSum(sum, err)
}

func (c *zeroRPCClient) Close() error { return c.c.Close() }
