// To compare the styles honestly we look at the socket, not at what
// an encoder says it would produce: a [Tap] wraps the client's
// [net.Conn] and keeps a copy of every byte written to it and read
// from it. HTTP headers, gob type descriptions, newlines: everything
// the protocol sends is counted.

package restrpc

import (
	"context"
	"encoding/hex"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
)

// Exchange is what crossed a connection during one call, seen from
// the client.
type Exchange struct {
	Sent     []byte // client to server: the request
	Received []byte // server to client: the response
}

// A Tap records the bytes of the connections it wraps. Use one per
// client, with Dialer{Tap: tap}, and call [Tap.Take] after each call.
type Tap struct {
	mu       sync.Mutex
	sent     []byte
	received []byte
}

// Conn wraps c so that its traffic is recorded.
func (t *Tap) Conn(c net.Conn) net.Conn { return &tappedConn{Conn: c, tap: t} }

// Take returns the bytes recorded since the last [Tap.Take].
func (t *Tap) Take() Exchange {
	t.mu.Lock()
	defer t.mu.Unlock()
	e := Exchange{Sent: t.sent, Received: t.received}
	t.sent, t.received = nil, nil
	return e
}

// wrap makes a dial function whose connections are tapped.
func (t *Tap) wrap(dial dialFunc) dialFunc {
	return func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dial(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		return t.Conn(c), nil
	}
}

type tappedConn struct {
	net.Conn
	tap *Tap
}

// Read records what arrived before handing it up, so by the time a
// client sees a reply its bytes are in the tap.
func (c *tappedConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.tap.mu.Lock()
	c.tap.received = append(c.tap.received, p[:n]...)
	c.tap.mu.Unlock()
	return n, err
}

// Write records before writing, for the same reason: the server may
// answer before Write returns. Bytes a failed write did not send are
// taken back off.
func (c *tappedConn) Write(p []byte) (int, error) {
	c.tap.mu.Lock()
	c.tap.sent = append(c.tap.sent, p...)
	end := len(c.tap.sent)
	c.tap.mu.Unlock()
	n, err := c.Conn.Write(p)
	if n < len(p) {
		c.tap.mu.Lock()
		if len(c.tap.sent) == end {
			c.tap.sent = c.tap.sent[:end-len(p)+n]
		}
		c.tap.mu.Unlock()
	}
	return n, err
}

// Capture records what crosses the wire when a client of style makes
// the call op(x, y) several times (times) in a row, on one connection,
// to the server at addr. The client believes it talks to the style's
// [Style.DefaultAddr] (only its dialer knows better), so the bytes, Host
// header included, are the ones the lesson's pages show.
//
// One trap: gob numbers the types it describes per process, and ids
// from 65 up take two bytes where 64 takes one. With client and server
// in one process they share the numbering, and the server's first
// reply comes out one byte longer than between two processes. The
// lesson's byte table is measured with the server in a process of its own.
func Capture(ctx context.Context, style Style, addr, op string, x, y, times int) ([]Exchange, error) {
	tap := &Tap{}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		var d net.Dialer
		return d.DialContext(ctx, network, addr)
	}
	c, err := Dialer{Tap: tap, DialContext: dial}.Dial(ctx, style, style.DefaultAddr())
	if err != nil {
		return nil, err
	}
	defer c.Close()

	out := make([]Exchange, 0, times)
	for i := 0; i < times; i++ {
		if _, err := Call(ctx, c, op, x, y); err != nil {
			return nil, fmt.Errorf("%s call %d: %w", style, i+1, err)
		}
		out = append(out, tap.Take())
	}
	return out, nil
}

// Call runs the operation named op ("add", …) on any [Client].
func Call(ctx context.Context, c Client, op string, x, y int) (int, error) {
	switch op {
	case OpAdd:
		return c.Add(ctx, x, y)
	case OpSubtract:
		return c.Subtract(ctx, x, y)
	case OpMultiply:
		return c.Multiply(ctx, x, y)
	case OpDivide:
		return c.Divide(ctx, x, y)
	}
	return 0, &UnknownOperationError{Operation: op}
}

// WriteDump prints an exchange: --> for what the client sent,
// <-- for what it received. Text (HTTP, JSON) is printed line by
// line with \r and \n made visible; anything else (gob) as a hex
// dump.
func (e Exchange) WriteDump(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "--> client to server, %d bytes\n", len(e.Sent))
	dumpBytes(&b, e.Sent)
	fmt.Fprintf(&b, "<-- server to client, %d bytes\n", len(e.Received))
	dumpBytes(&b, e.Received)
	_, err := io.WriteString(w, b.String())
	return err
}

func dumpBytes(b *strings.Builder, p []byte) {
	if !isText(p) {
		for _, line := range strings.SplitAfter(hex.Dump(p), "\n") {
			if line != "" {
				b.WriteString("    " + line)
			}
		}
		return
	}
	r := strings.NewReplacer("\r", `\r`, "\n", `\n`, "\t", `\t`)
	for _, line := range strings.SplitAfter(string(p), "\n") {
		if line != "" {
			b.WriteString("    " + r.Replace(line) + "\n")
		}
	}
}

// isText says whether p is printable ASCII with line breaks.
func isText(p []byte) bool {
	for _, c := range p {
		if (c < 0x20 || c > 0x7e) && c != '\r' && c != '\n' && c != '\t' {
			return false
		}
	}
	return true
}
