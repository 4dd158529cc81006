// A faster TCP for zmq4. go-zeromq/zmq4 reads every frame with two
// `read` system calls (header, then body) straight from the socket, so
// one zerorpc event costs four reads. `bufferedTCP` is the same TCP
// with a read buffer in front; writes still go out in one `writev`.
// We register it under a private scheme and use it for `tcp://`
// endpoints: the bytes on the wire do not change at all.

package zerorpc

import (
	"bufio"
	"context"
	"net"
	"strings"

	"github.com/go-zeromq/zmq4"
	"github.com/go-zeromq/zmq4/transport"
)

const bufferedScheme = "zerorpc+tcp"

func init() {
	if err := zmq4.RegisterTransport(bufferedScheme, bufferedTCP{}); err != nil {
		panic(err) // registered twice: a bug, not input
	}
}

// `zmqEndpoint` maps `tcp://host:port` to the buffered transport;
// other schemes (ipc://, inproc://) are left to zmq4.
func zmqEndpoint(endpoint string) string {
	if rest, ok := strings.CutPrefix(endpoint, "tcp://"); ok {
		return bufferedScheme + "://" + rest
	}
	return endpoint
}

type bufferedTCP struct{}

func (bufferedTCP) Dial(ctx context.Context, d transport.Dialer, addr string) (net.Conn, error) {
	c, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, err
	}
	return wrapConn(c), nil
}

func (bufferedTCP) Listen(ctx context.Context, addr string) (net.Listener, error) {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	return bufferedListener{l}, nil
}

func (bufferedTCP) Addr(ep string) (string, error) {
	return transport.New("tcp").Addr(ep)
}

type bufferedListener struct{ net.Listener }

func (l bufferedListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return wrapConn(c), nil
}

func wrapConn(c net.Conn) net.Conn {
	if tc, ok := c.(*net.TCPConn); ok {
		return &bufferedConn{TCPConn: tc, r: bufio.NewReaderSize(tc, 32<<10)}
	}
	return c
}

// `bufferedConn` embeds `*net.TCPConn`, so everything but `Read` is
// TCP's own, including the `writev` that `net.Buffers` uses.
type bufferedConn struct {
	*net.TCPConn
	r *bufio.Reader
}

func (c *bufferedConn) Read(p []byte) (int, error) { return c.r.Read(p) }
