// One ZeroMQ connection. go-zeromq/zmq4 does the ZMTP 3 work: the
// greeting, the NULL-security handshake that tells each side the
// other's socket type and identity (`zmq4.Open`), and the framing of
// what we send (`Conn.SendMsg`). We keep the ROUTER/DEALER part, which
// is small: a DEALER is one connection; a ROUTER answers on the
// connection a request came from. Owning it means one read buffer per
// connection, one `write` per message, and no goroutine between the
// socket and the code that handles a message.

package zerorpc

import (
	"bufio"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/security/null"
	"github.com/go-zeromq/zmq4/transport"
)

// ZMTP frame flags, and the largest frame we accept: a peer announcing
// a bigger one is cut off rather than trusted with our memory.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
	maxFrame    = 64 << 20

	handshakeTimeout = 10 * time.Second
)

// A `zconn` is a TCP connection after the ZMTP handshake.
type zconn struct {
	net.Conn
	r        *bufio.Reader
	w        *bufio.Writer
	zc       *zmq4.Conn
	buffered bool // writes go to `w` once the handshake is done

	mu     sync.Mutex // one message at a time on the wire
	closed atomic.Bool
}

// `openConn` runs the ZMTP handshake on `nc` as a socket of type `typ`.
func openConn(nc net.Conn, typ zmq4.SocketType, server bool) (_ *zconn, err error) {
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
		Conn: nc,
		r:    bufio.NewReaderSize(nc, 32<<10),
		w:    bufio.NewWriterSize(nc, 32<<10),
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
	return c, nil
}

// `newSocketID` is a random identity; a ROUTER peer uses it to route
// replies to us.
func newSocketID() zmq4.SocketIdentity {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return zmq4.SocketIdentity(fmt.Sprintf("%x", b))
}

func (c *zconn) Read(p []byte) (int, error) { return c.r.Read(p) }

func (c *zconn) Write(p []byte) (int, error) {
	if c.buffered {
		return c.w.Write(p)
	}
	return c.Conn.Write(p)
}

func (c *zconn) Close() error {
	c.closed.Store(true)
	return c.Conn.Close()
}

// `send` writes one multipart message and flushes it: one system call.
func (c *zconn) send(frames ...[]byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.zc.SendMsg(zmq4.NewMsgFrom(frames...)); err != nil {
		return err
	}
	return c.w.Flush()
}

// `recv` reads the next message, answering ZMTP PINGs on the way and
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
			c.mu.Lock()
			err := c.zc.SendCmd(zmq4.CmdPong, body[2:])
			if err == nil {
				err = c.w.Flush()
			}
			c.mu.Unlock()
			if err != nil {
				return nil, err
			}
		}
	}
}

// `readMsg` reads frames until one without the MORE flag.
func (c *zconn) readMsg() (frames [][]byte, cmd bool, err error) {
	for {
		flags, err := c.r.ReadByte()
		if err != nil {
			return nil, false, err
		}
		var size uint64
		if flags&flagLong != 0 {
			var b [8]byte
			if _, err := io.ReadFull(c.r, b[:]); err != nil {
				return nil, false, err
			}
			size = binary.BigEndian.Uint64(b[:])
		} else {
			b, err := c.r.ReadByte()
			if err != nil {
				return nil, false, err
			}
			size = uint64(b)
		}
		if size > maxFrame {
			return nil, false, fmt.Errorf("zmtp: frame of %d bytes", size)
		}
		body := make([]byte, size)
		if _, err := io.ReadFull(c.r, body); err != nil {
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

func parseCommand(b []byte) (name string, body []byte, ok bool) {
	if len(b) == 0 || len(b) < 1+int(b[0]) {
		return "", nil, false
	}
	n := int(b[0])
	return string(b[1 : 1+n]), b[1+n:], true
}

// `tcpAddr` turns `tcp://host:port` into `host:port` (`*` means all
// interfaces, as in ZeroMQ). zerorpc endpoints are TCP.
func tcpAddr(endpoint string) (string, error) {
	rest, ok := strings.CutPrefix(endpoint, "tcp://")
	if !ok {
		return "", fmt.Errorf("endpoint %q: only tcp:// endpoints are supported", endpoint)
	}
	return transport.New("tcp").Addr(rest)
}
