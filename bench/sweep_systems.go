// The sweep's rows: an echo through every approach that can carry a
// payload, each served the lesson's way (a function registered on the
// lesson's server, an endpoint given to its RPC server).
//
// Left out, and why:
//   - rest (01): lesson 01's server offers the calculator resource
//     only; the sweep's net/rpc + gob row is the standard library's
//     server with an echo service, to show gob's encoding;
//   - xmlrpc-single (02): the same encoding as xmlrpc-concurrent, one
//     connection per call; its cost is in the first table;
//   - notify and oslo-cast (06, 07): one-way, nothing comes back;
//   - the Python peers: the sweep compares encodings, which the Go
//     clients and servers speak byte for byte as Python does.

package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/rpc"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/bench/grpcpb"
)

// sweepMax is every sweep server's limit on a request or a reply:
// above the XML rendering of 1 MB of numbers.
const sweepMax = 64 << 20

func allSweepSystems() []*sweepSystem {
	return []*sweepSystem{
		{Name: "tcp-raw", Desc: "raw TCP, length-prefixed bytes (numbers as 8-byte integers)", ServeName: "sweep-tcp", Dial: dialEchoTCP},
		{Name: "http-json", Desc: "plain net/http + encoding/json, POST /echo", ServeName: "httpjson", Dial: dialEchoHTTPJSON},
		{Name: "netrpc-gob", Desc: "net/rpc + gob (standard library server)", ServeName: "sweep-gob", Dial: dialEchoGob},
		{Name: "xmlrpc-concurrent", Desc: "XML-RPC (02), concurrent server", ServeName: "sweep-xmlrpc", Dial: dialEchoXMLRPC},
		{Name: "jsonrpc2", Desc: "JSON-RPC 2.0 over HTTP (03)", ServeName: "sweep-jsonrpc2", Dial: dialEchoJSONRPC2},
		{Name: "zerorpc", Desc: "zerorpc, msgpack (04)", ServeName: "sweep-zerorpc", Dial: dialEchoZeroRPC},
		{Name: "grpc", Desc: "gRPC, protobuf", ServeName: "grpc", Dial: dialEchoGRPC},
		{Name: "amqp-raw", Desc: "raw amqp091 round trip, the payload's bytes as body", ServeName: "sweep-amqp", Broker: true, Dial: dialEchoAMQP},
		{Name: "oslo-call", Desc: "OpenStack-style call (06), JSON in JSON", ServeName: "sweep-oslo", Broker: true, Dial: dialEchoOslo},
	}
}

// sweepServers are the sweep's own servers, added to [servers].
var sweepServers = map[string]func(ctx context.Context, amqpURL string) (string, func(), error){
	"sweep-tcp": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		go serveEchoTCP(ln)
		return ln.Addr().String(), func() { ln.Close() }, nil
	},
	"sweep-gob": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		s := rpc.NewServer()
		if err := s.RegisterName("Echo", echoService{}); err != nil {
			return "", nil, err
		}
		go s.Accept(ln)
		return ln.Addr().String(), func() { ln.Close() }, nil
	},
	"sweep-xmlrpc": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := xmlrpc.NewCalculatorServer()
		srv.Mode = xmlrpc.Concurrent
		srv.MaxBodyBytes, srv.MaxReplyBytes = sweepMax, sweepMax
		srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
		if err := srv.RegisterFunction("echo_numbers", func(xs []int32) []int32 { return xs }); err != nil {
			return "", nil, err
		}
		if err := srv.RegisterFunction("echo_string", func(s string) string { return s }); err != nil {
			return "", nil, err
		}
		go srv.Serve(ln)
		return ln.Addr().String(), func() { srv.Close() }, nil
	},
	"sweep-jsonrpc2": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		h := jsonrpc.NewFunctionServer()
		h.MaxBodyBytes, h.MaxReplyBytes = sweepMax, sweepMax
		if err := h.RegisterFunction("echo_numbers", func(xs []int64) []int64 { return xs }, "numbers"); err != nil {
			return "", nil, err
		}
		if err := h.RegisterFunction("echo_string", func(s string) string { return s }, "text"); err != nil {
			return "", nil, err
		}
		srv := &jsonrpc.HTTPServer{Handler: h, ReadTimeout: time.Minute, WriteTimeout: time.Minute}
		go srv.Serve(ln)
		return ln.Addr().String(), func() { srv.Close() }, nil
	},
	"sweep-zerorpc": func(context.Context, string) (string, func(), error) {
		s, err := calc.NewServer()
		if err != nil {
			return "", nil, err
		}
		s.ErrorLog = log.New(io.Discard, "", 0)
		s.MaxMessageSize = sweepMax
		if err := s.RegisterFunc("echo_numbers", func(xs []int64) []int64 { return xs }, zerorpc.Doc{}); err != nil {
			return "", nil, err
		}
		if err := s.RegisterFunc("echo_string", func(x string) string { return x }, zerorpc.Doc{}); err != nil {
			return "", nil, err
		}
		ln, err := zerorpc.Listen("tcp://127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		go s.Serve(ln)
		return ln.Addr().String(), func() { s.Close() }, nil
	},
	"sweep-amqp": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := serveAMQPEcho(ctx, url)
		return echoQueue, stop, err
	},
	"sweep-oslo": func(_ context.Context, url string) (string, func(), error) {
		stop, err := serveOsloEcho(url)
		return osloEchoTopic, stop, err
	},
}

// encodeRaw is the raw floor's encoding: the text's bytes, or each
// number in 8 bytes.
func encodeRaw(p payload) []byte {
	if p.Numbers == nil {
		return append([]byte{'s'}, p.Text...)
	}
	b := make([]byte, 1, 1+8*len(p.Numbers))
	b[0] = 'n'
	for _, x := range p.Numbers {
		b = binary.LittleEndian.AppendUint64(b, uint64(x))
	}
	return b
}

func decodeRaw(b []byte) (payload, error) {
	if len(b) == 0 {
		return payload{}, fmt.Errorf("empty raw payload")
	}
	if b[0] == 's' {
		return payload{Text: string(b[1:])}, nil
	}
	xs := make([]int64, (len(b)-1)/8)
	for i := range xs {
		xs[i] = int64(binary.LittleEndian.Uint64(b[1+8*i:]))
	}
	return payload{Numbers: xs}, nil
}

// serveEchoTCP echoes length-prefixed messages.
func serveEchoTCP(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			for {
				var n [4]byte
				if _, err := io.ReadFull(c, n[:]); err != nil {
					return
				}
				size := binary.BigEndian.Uint32(n[:])
				if size > sweepMax {
					return
				}
				msg := make([]byte, 4+size)
				copy(msg, n[:])
				if _, err := io.ReadFull(c, msg[4:]); err != nil {
					return
				}
				if _, err := c.Write(msg); err != nil {
					return
				}
			}
		}()
	}
}

// echoTCPClient is one connection, used by one caller at a time.
type echoTCPClient struct {
	mu   sync.Mutex
	conn net.Conn
}

func dialEchoTCP(_ context.Context, _ *env, addr string) (echoClient, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &echoTCPClient{conn: conn}, nil
}

func (c *echoTCPClient) Echo(_ context.Context, p payload) (payload, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	body := encodeRaw(p)
	msg := binary.BigEndian.AppendUint32(make([]byte, 0, 4+len(body)), uint32(len(body)))
	if _, err := c.conn.Write(append(msg, body...)); err != nil {
		return payload{}, err
	}
	var n [4]byte
	if _, err := io.ReadFull(c.conn, n[:]); err != nil {
		return payload{}, err
	}
	back := make([]byte, binary.BigEndian.Uint32(n[:]))
	if _, err := io.ReadFull(c.conn, back); err != nil {
		return payload{}, err
	}
	return decodeRaw(back)
}

func (c *echoTCPClient) Close() error { return c.conn.Close() }

// EchoPayload is the payload as JSON and gob carry it (exported, as
// net/rpc requires of argument types).
type EchoPayload struct {
	Numbers []int64 `json:"numbers,omitempty"`
	Text    string  `json:"text,omitempty"`
}

// handleEchoJSON is http-json's POST /echo.
func handleEchoJSON(w http.ResponseWriter, r *http.Request) {
	var p EchoPayload
	if err := json.NewDecoder(io.LimitReader(r.Body, sweepMax)).Decode(&p); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(p)
}

type echoHTTPJSONClient struct {
	url string
	hc  *http.Client
}

func dialEchoHTTPJSON(_ context.Context, _ *env, addr string) (echoClient, error) {
	return &echoHTTPJSONClient{url: "http://" + addr + "/echo", hc: newHTTPClient()}, nil
}

func (c *echoHTTPJSONClient) Echo(ctx context.Context, p payload) (payload, error) {
	body, err := json.Marshal(EchoPayload(p))
	if err != nil {
		return payload{}, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return payload{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.hc.Do(req)
	if err != nil {
		return payload{}, err
	}
	defer func() {
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
	}()
	if resp.StatusCode != http.StatusOK {
		return payload{}, fmt.Errorf("http: %s", resp.Status)
	}
	var back EchoPayload
	err = json.NewDecoder(resp.Body).Decode(&back)
	return payload(back), err
}

func (c *echoHTTPJSONClient) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// echoService is net/rpc's echo.
type echoService struct{}

// Echo sends the payload back.
func (echoService) Echo(p EchoPayload, back *EchoPayload) error {
	*back = p
	return nil
}

type echoGobClient struct{ c *rpc.Client }

func dialEchoGob(_ context.Context, _ *env, addr string) (echoClient, error) {
	c, err := rpc.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	return &echoGobClient{c}, nil
}

func (c *echoGobClient) Echo(_ context.Context, p payload) (payload, error) {
	var back EchoPayload
	err := c.c.Call("Echo.Echo", EchoPayload(p), &back)
	return payload(back), err
}

func (c *echoGobClient) Close() error { return c.c.Close() }

// Lesson 02: echo_numbers and echo_string on the XML-RPC server.
type echoXMLRPCClient struct {
	c  *xmlrpc.Client
	hc *http.Client
}

func dialEchoXMLRPC(_ context.Context, _ *env, addr string) (echoClient, error) {
	c, err := xmlrpc.NewClient("http://" + addr + "/RPC2")
	if err != nil {
		return nil, err
	}
	hc := newHTTPClient()
	c.HTTPClient, c.MaxResponseBytes = hc, sweepMax
	return &echoXMLRPCClient{c, hc}, nil
}

func (c *echoXMLRPCClient) Echo(ctx context.Context, p payload) (payload, error) {
	if p.Numbers == nil {
		s, err := xmlrpc.CallAs[string](ctx, c.c, "echo_string", p.Text)
		return payload{Text: s}, err
	}
	xs := make([]int32, len(p.Numbers))
	for i, x := range p.Numbers {
		xs[i] = int32(x)
	}
	back, err := xmlrpc.CallAs[[]int32](ctx, c.c, "echo_numbers", xs)
	out := make([]int64, len(back))
	for i, x := range back {
		out[i] = int64(x)
	}
	return payload{Numbers: out}, err
}

func (c *echoXMLRPCClient) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// Lesson 03: echo_numbers and echo_string on the JSON-RPC server.
type echoJSONRPC2Client struct {
	c  *jsonrpc.Client
	hc *http.Client
}

func dialEchoJSONRPC2(_ context.Context, _ *env, addr string) (echoClient, error) {
	hc := newHTTPClient()
	return &echoJSONRPC2Client{jsonrpc.NewClient("http://"+addr+"/", hc), hc}, nil
}

func (c *echoJSONRPC2Client) Echo(ctx context.Context, p payload) (payload, error) {
	if p.Numbers == nil {
		var s string
		err := c.c.Call(ctx, "echo_string", []any{p.Text}, &s)
		return payload{Text: s}, err
	}
	var xs []int64
	err := c.c.Call(ctx, "echo_numbers", []any{p.Numbers}, &xs)
	return payload{Numbers: xs}, err
}

func (c *echoJSONRPC2Client) Close() error {
	c.hc.CloseIdleConnections()
	return nil
}

// Lesson 04: echo_numbers and echo_string on the zerorpc server.
type echoZeroRPCClient struct{ c *zerorpc.Client }

func dialEchoZeroRPC(_ context.Context, _ *env, addr string) (echoClient, error) {
	d := zerorpc.Dialer{MaxMessageSize: sweepMax, Timeout: time.Minute}
	c, err := d.Dial("tcp://" + addr)
	if err != nil {
		return nil, err
	}
	return &echoZeroRPCClient{c}, nil
}

func (c *echoZeroRPCClient) Echo(ctx context.Context, p payload) (payload, error) {
	if p.Numbers == nil {
		var s string
		err := c.c.CallInto(ctx, &s, "echo_string", p.Text)
		return payload{Text: s}, err
	}
	var xs []int64
	err := c.c.CallInto(ctx, &xs, "echo_numbers", p.Numbers)
	return payload{Numbers: xs}, err
}

func (c *echoZeroRPCClient) Close() error { return c.c.Close() }

// gRPC: the Echo method of the bench's service.
func dialEchoGRPC(_ context.Context, _ *env, addr string) (echoClient, error) {
	return newGRPCClient(addr)
}

func (c *grpcClient) Echo(ctx context.Context, p payload) (payload, error) {
	back, err := c.c.Echo(ctx, &grpcpb.Payload{Numbers: p.Numbers, Text: p.Text})
	if err != nil {
		return payload{}, err
	}
	return payload{Numbers: back.GetNumbers(), Text: back.GetText()}, nil
}

// The raw AMQP round trip with the payload's bytes as body.
const echoQueue = "bench.echo"

// serveAMQPEcho answers every request on echoQueue with its own body.
func serveAMQPEcho(ctx context.Context, url string) (func(), error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("dial broker: %w", err)
	}
	sub, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, err
	}
	pub, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, err
	}
	if _, err := sub.QueueDeclare(echoQueue, false, false, false, false, nil); err != nil {
		conn.Close()
		return nil, err
	}
	deliveries, err := sub.Consume(echoQueue, "", true, false, false, false, nil)
	if err != nil {
		conn.Close()
		return nil, err
	}
	go func() {
		for d := range deliveries {
			_ = pub.PublishWithContext(ctx, "", d.ReplyTo, false, false, amqp.Publishing{
				CorrelationId: d.CorrelationId,
				Body:          d.Body,
			})
		}
	}()
	return func() { conn.Close() }, nil
}

type echoAMQPClient struct{ c *amqpRPCClient }

func dialEchoAMQP(ctx context.Context, e *env, _ string) (echoClient, error) {
	c, err := dialAMQPRPC(ctx, e.amqpURL, true)
	if err != nil {
		return nil, err
	}
	c.queue = echoQueue
	return &echoAMQPClient{c}, nil
}

func (c *echoAMQPClient) Echo(ctx context.Context, p payload) (payload, error) {
	back, err := c.c.roundTrip(ctx, encodeRaw(p))
	if err != nil {
		return payload{}, err
	}
	return decodeRaw(back)
}

func (c *echoAMQPClient) Close() error { return c.c.Close() }

// Lesson 06: an endpoint with an echo method, on its own topic.
const osloEchoTopic = "bench-echo"

// echoEndpoint is the sweep's oslo endpoint.
type echoEndpoint struct{}

// Echo sends the payload back.
func (echoEndpoint) Echo(_ context.Context, p EchoPayload) (EchoPayload, error) { return p, nil }

func serveOsloEcho(url string) (func(), error) {
	t, err := oslo.NewTransport(url, oslo.TransportOptions{Logger: quietLogger})
	if err != nil {
		return nil, err
	}
	s, err := oslo.NewRPCServer(t, oslo.Target{Topic: osloEchoTopic, Server: osloServer},
		[]any{echoEndpoint{}, endpoints.CalculatorEndpoint{}}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(64)})
	if err != nil {
		t.Close()
		return nil, err
	}
	if err := s.Start(); err != nil {
		t.Close()
		return nil, err
	}
	return func() { s.Stop(); s.Wait(); t.Close() }, nil
}

type echoOsloClient struct {
	t *oslo.Transport
	c *oslo.RPCClient
}

func dialEchoOslo(_ context.Context, e *env, _ string) (echoClient, error) {
	t, err := oslo.NewTransport(e.amqpURL, oslo.TransportOptions{Logger: quietLogger})
	if err != nil {
		return nil, err
	}
	if err := t.Connect(); err != nil {
		t.Close()
		return nil, err
	}
	c := oslo.NewRPCClient(t, oslo.Target{Topic: osloEchoTopic}, oslo.ClientOptions{Timeout: time.Minute})
	return &echoOsloClient{t: t, c: c}, nil
}

func (c *echoOsloClient) Echo(ctx context.Context, p payload) (payload, error) {
	args := oslo.Args{"numbers": p.Numbers}
	if p.Numbers == nil {
		args = oslo.Args{"text": p.Text}
	}
	var back EchoPayload
	err := c.c.Call(ctx, "echo", args, &back)
	return payload(back), err
}

func (c *echoOsloClient) Close() error {
	c.c.Close()
	return c.t.Close()
}
