// One ZeroMQ connection. go-zeromq/zmq4 does the ZMTP 3 handshake:
// the greeting, and the NULL-security READY commands that tell each
// side the other's socket type and identity ([zmq4.Open]). We read
// frames ourselves after it and let zmq4 frame what we send
// ([zmq4.Conn.SendMsg]). The ROUTER/DEALER part is small and ours: a
// DEALER is one connection; a ROUTER answers on the connection a
// request came from. Owning it means one read buffer per connection,
// one write per message, no goroutine between the socket and the code
// that handles a message, and a cap on every size a peer announces
// (see limits.go).

package zerorpc

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/security/null"
	"github.com/go-zeromq/zmq4/transport"
)

// handshakeTimeout bounds how long a peer may take to greet us.
const handshakeTimeout = 10 * time.Second

// A zconn is a TCP connection after the ZMTP handshake.
type zconn struct {
	net.Conn
	r        *bufio.Reader
	w        *bufio.Writer
	zc       *zmq4.Conn
	buffered bool // writes go to w once the handshake is done
	limits   limits
	guard    *handshakeGuard // set during the handshake only

	mu sync.Mutex // one message at a time on the wire

	calls int // a server's calls in flight on this connection, under Server.mu
}

// openConn runs the ZMTP handshake on nc as a socket of type typ.
func openConn(nc net.Conn, typ zmq4.SocketType, server bool, lim limits) (_ *zconn, err error) {
	// zmq4 trusts the peer's handshake bytes (a short metadata entry
	// makes it slice out of range): a malformed handshake must cost
	// one connection, not the whole server.
	defer func() {
		if p := recover(); p != nil {
			nc.Close()
			err = fmt.Errorf("zmtp handshake with %s: malformed (%v)", nc.RemoteAddr(), p)
		}
	}()
	c := &zconn{
		Conn:   nc,
		r:      bufio.NewReaderSize(nc, 32<<10),
		w:      bufio.NewWriterSize(nc, 32<<10),
		limits: lim,
		guard:  newHandshakeGuard(lim.maxHandshake),
	}
	_ = nc.SetDeadline(time.Now().Add(handshakeTimeout))
	zc, err := zmq4.Open(c, null.Security(), typ, newSocketID(), server, nil)
	_ = nc.SetDeadline(time.Time{})
	if err != nil {
		nc.Close()
		return nil, fmt.Errorf("zmtp handshake with %s: %w", nc.RemoteAddr(), err)
	}
	c.zc = zc
	c.buffered = true
	c.guard = nil
	return c, nil
}

// newSocketID is a random identity; a ROUTER peer uses it to route
// replies to us.
func newSocketID() zmq4.SocketIdentity {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return zmq4.SocketIdentity(fmt.Sprintf("%x", b))
}

// Read is what zmq4 reads the handshake with; the guard sees every
// byte before zmq4 does.
func (c *zconn) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	if c.guard != nil {
		if gerr := c.guard.check(p[:n]); gerr != nil {
			return 0, gerr
		}
	}
	return n, err
}

// Write is what zmq4 writes with: straight to the socket during the
// handshake, then into the buffer that send flushes.
func (c *zconn) Write(p []byte) (int, error) {
	if c.buffered {
		return c.w.Write(p)
	}
	return c.Conn.Write(p)
}

// send writes one multipart message and flushes it: one system call.
func (c *zconn) send(frames ...[]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.zc.SendMsg(zmq4.NewMsgFrom(frames...)); err != nil {
		return err
	}
	return c.w.Flush()
}

// recv reads the next message, answering ZMTP PINGs on the way and
// skipping other commands.
func (c *zconn) recv() ([][]byte, error) {
	for {
		frames, cmd, err := c.readMsg()
		if err != nil {
			return nil, err
		}
		if !cmd {
			return frames, nil
		}
		if name, body, ok := parseCommand(frames[0]); ok && name == zmq4.CmdPing && len(body) >= 2 {
			if err := c.pong(body[2:]); err != nil {
				return nil, err
			}
		}
	}
}

// pong answers a PING with its context (the bytes after its TTL).
func (c *zconn) pong(context []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.zc.SendCmd(zmq4.CmdPong, context); err != nil {
		return err
	}
	return c.w.Flush()
}

// readMsg reads frames until one without the MORE flag. Every size
// is checked before memory is committed: a command must fit the
// handshake cap, and the frames of a message together the message
// cap.
func (c *zconn) readMsg() (frames [][]byte, cmd bool, err error) {
	budget := c.limits.maxMessage
	for {
		flags, size, err := c.readFrameHeader()
		if err != nil {
			return nil, false, err
		}
		if flags&flagCommand != 0 {
			if size > c.limits.maxHandshake {
				return nil, false, fmt.Errorf("%w: command of %d bytes (cap %d)", ErrTooLarge, size, c.limits.maxHandshake)
			}
		} else if size > budget || size+frameOverhead > budget {
			return nil, false, fmt.Errorf("%w: message of more than %d bytes (cap %d)",
				ErrTooLarge, c.limits.maxMessage-budget+size, c.limits.maxMessage)
		}
		budget -= min(budget, size+frameOverhead)
		body, err := readBody(c.r, size)
		if err != nil {
			return nil, false, err
		}
		if flags&flagCommand != 0 {
			return [][]byte{body}, true, nil
		}
		frames = append(frames, body)
		if flags&flagMore == 0 {
			return frames, false, nil
		}
	}
}

// readFrameHeader reads a frame's flags and its 1- or 8-byte size.
func (c *zconn) readFrameHeader() (flags byte, size uint64, err error) {
	flags, err = c.r.ReadByte()
	if err != nil {
		return 0, 0, err
	}
	if flags&flagLong == 0 {
		b, err := c.r.ReadByte()
		return flags, uint64(b), err
	}
	var b [8]byte
	if _, err := io.ReadFull(c.r, b[:]); err != nil {
		return 0, 0, err
	}
	return flags, binary.BigEndian.Uint64(b[:]), nil
}

// parseCommand splits a command frame into its name and body.
func parseCommand(b []byte) (name string, body []byte, ok bool) {
	if len(b) == 0 || len(b) < 1+int(b[0]) {
		return "", nil, false
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], true
}

// splitFrames separates the routing envelope (the frames before the
// empty delimiter) from the payload, the last frame. A DEALER sends
// ["", payload]; a ROUTER in front of a server would add the sender's
// routing id, giving [id, "", payload], answered with the same frames.
// Python tolerates a missing delimiter, so we do too when reading; we
// always write it.
func splitFrames(frames [][]byte) (envelope [][]byte, payload []byte, err error) {
	if len(frames) == 0 {
		return nil, nil, errors.New("empty message")
	}
	payload = frames[len(frames)-1]
	envelope = frames[:len(frames)-1]
	if n := len(envelope); n > 0 && len(envelope[n-1]) == 0 {
		envelope = envelope[:n-1]
	}
	return envelope, payload, nil
}

// tcpAddr turns tcp://host:port into host:port (* means all
// interfaces, as in ZeroMQ). zerorpc endpoints are TCP.
func tcpAddr(endpoint string) (string, error) {
	rest, ok := strings.CutPrefix(endpoint, "tcp://")
	if !ok {
		return "", fmt.Errorf("endpoint %q: only tcp:// endpoints are supported", endpoint)
	}
	return transport.New("tcp").Addr(rest)
}
