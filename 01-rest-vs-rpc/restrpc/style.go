// Three ways to put the same call on the wire. [Style] names them, and
// [Dial] hides which one a [Client] uses, so a benchmark or a tour can
// loop over all three with the same code.

package restrpc

import (
	"context"
	"fmt"
	"net"
)

// Style is one of the three wires this lesson compares.
type Style string

const (
	// REST is HTTP/1.1 with JSON bodies, POST /calculations.
	REST Style = "rest"
	// GobRPC is net/rpc with its default gob codec, over TCP.
	GobRPC Style = "gob"
	// JSONRPC is net/rpc with the JSON-RPC 1.0 codec, over TCP.
	JSONRPC Style = "jsonrpc"
)

// Styles lists the three styles in the order the lesson shows them.
var Styles = []Style{REST, GobRPC, JSONRPC}

// DefaultAddr is where each style listens in this lesson's README:
// ports 8000–8002 on the loopback interface.
func (s Style) DefaultAddr() string {
	switch s {
	case REST:
		return "127.0.0.1:8000"
	case GobRPC:
		return "127.0.0.1:8001"
	case JSONRPC:
		return "127.0.0.1:8002"
	}
	return ""
}

// Wire describes the style's transport and encoding, for humans.
func (s Style) Wire() string {
	switch s {
	case REST:
		return "HTTP/1.1 + JSON"
	case GobRPC:
		return "TCP + gob (net/rpc)"
	case JSONRPC:
		return "TCP + JSON-RPC 1.0 (net/rpc/jsonrpc)"
	}
	return "unknown"
}

// ParseStyle accepts "rest", "gob" or "jsonrpc".
func ParseStyle(s string) (Style, error) {
	for _, st := range Styles {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("unknown style %q (want rest, gob or jsonrpc)", s)
}

// Client is what every style's client offers: the calculator's four
// operations as methods, one remote call each. *RESTClient and
// *RPCClient both implement it.
type Client interface {
	Add(ctx context.Context, x, y int) (int, error)
	Subtract(ctx context.Context, x, y int) (int, error)
	Multiply(ctx context.Context, x, y int) (int, error)
	Divide(ctx context.Context, x, y int) (int, error)
	Close() error
}

// dialFunc makes a connection, like [net.Dialer.DialContext].
type dialFunc = func(ctx context.Context, network, addr string) (net.Conn, error)

// Dial connects a client of style to the server at addr
// ("127.0.0.1:8000"). An RPC client dials now; a REST client dials
// when it makes its first request.
func Dial(ctx context.Context, style Style, addr string) (Client, error) {
	return Dialer{}.Dial(ctx, style, addr)
}

// A Dialer makes clients whose connections can be watched.
type Dialer struct {
	// Tap, if set, records every byte the client's connections send
	// and receive (see [Tap]).
	Tap *Tap
	// DialContext makes the connection; nil means a [net.Dialer].
	DialContext dialFunc
}

// Dial is like the package's [Dial], with the dialer's settings.
func (d Dialer) Dial(ctx context.Context, style Style, addr string) (Client, error) {
	dial := d.DialContext
	if dial == nil {
		dial = (&net.Dialer{}).DialContext
	}
	if d.Tap != nil {
		dial = d.Tap.wrap(dial)
	}
	switch style {
	case REST:
		return &RESTClient{
			base: "http://" + addr,
			http: newHTTPClient(dial),
		}, nil
	case GobRPC, JSONRPC:
		conn, err := dial(ctx, "tcp", addr)
		if err != nil {
			return nil, fmt.Errorf("dial %s server: %w", style, err)
		}
		return NewRPCClient(conn, style)
	}
	return nil, fmt.Errorf("unknown style %q", style)
}
