// net/rpc trusts its peer. Its server reads a connection as fast as the
// peer writes, starts a goroutine per call before the previous answer
// is read, lets a decoder buffer a request of any size, and waits
// forever for the rest of a request. rpcConn is a [rpc.ServerCodec]
// that wraps the real one (gob or JSON-RPC 1.0) and puts a bound on
// each of those, without changing a byte on the wire.

package restrpc

import (
	"bufio"
	"encoding/gob"
	"errors"
	"fmt"
	"io"
	"net"
	"net/rpc"
	"net/rpc/jsonrpc"
	"sync"
	"time"
)

// errRequestTooLarge fails a connection whose request is over the cap.
var errRequestTooLarge = errors.New("request too large")

// rpcConn is one net/rpc connection with the server's limits applied.
//
// The reader side (ReadRequestHeader, ReadRequestBody and the reads
// they cause) runs in net/rpc's one reading goroutine; WriteResponse
// runs in the goroutines of the calls, one at a time.
type rpcConn struct {
	conn  net.Conn
	codec rpc.ServerCodec // the wire's own codec, reading through wire
	lim   limits
	style Style
	logf  func(format string, args ...any)

	slots    chan struct{} // one token per call in flight
	stop     chan struct{} // closed when the server stops reading
	stopOnce sync.Once
	shutOnce sync.Once

	mu       sync.Mutex
	inFlight int   // calls read and not yet answered
	reading  bool  // a request has begun to arrive
	stopping bool  // Shutdown: read no more requests
	logged   bool  // the reason for closing has been logged
	n        int64 // bytes read for the current request
	err      error // the read error that failed the connection
}

func newRPCConn(conn net.Conn, style Style, lim limits, logf func(string, ...any)) *rpcConn {
	c := &rpcConn{
		conn:  conn,
		lim:   lim,
		style: style,
		logf:  logf,
		slots: make(chan struct{}, lim.maxCallsPerConn),
		stop:  make(chan struct{}),
	}
	w := wire{c}
	if style == JSONRPC {
		c.codec = jsonrpc.NewServerCodec(w)
	} else {
		c.codec = newGobServerCodec(w)
	}
	return c
}

// ReadRequestHeader waits for a free slot, so that no more than
// MaxCallsPerConn calls are in flight, and then reads the next request.
// While no call is in flight the connection is idle, and IdleTimeout
// applies; with calls in flight the peer may well wait for them.
func (c *rpcConn) ReadRequestHeader(r *rpc.Request) error {
	select {
	case c.slots <- struct{}{}:
	case <-c.stop:
		return io.EOF
	}
	c.mu.Lock()
	c.n, c.reading = 0, false
	if c.stopping {
		c.mu.Unlock()
		<-c.slots
		return io.EOF
	}
	c.setIdleDeadline()
	c.mu.Unlock()

	if err := c.codec.ReadRequestHeader(r); err != nil {
		<-c.slots
		return c.readFailed(err)
	}
	c.mu.Lock()
	c.inFlight++
	c.mu.Unlock()
	return nil
}

// ReadRequestBody reads the call's arguments. An error here is answered
// to the caller by net/rpc, which then reads on; a failed connection
// fails the next header too, so it ends there.
func (c *rpcConn) ReadRequestBody(body any) error {
	err := c.codec.ReadRequestBody(body)
	c.mu.Lock()
	c.reading = false
	c.mu.Unlock()
	if err != nil {
		return c.readFailed(err)
	}
	return nil
}

// WriteResponse writes one answer within WriteTimeout and frees the
// call's slot. A peer that does not read its answers fills the socket
// buffers; the write then times out and the connection is closed.
func (c *rpcConn) WriteResponse(r *rpc.Response, body any) error {
	if c.lim.writeTimeout > 0 {
		c.conn.SetWriteDeadline(time.Now().Add(c.lim.writeTimeout))
	}
	err := c.codec.WriteResponse(r, body)
	c.mu.Lock()
	c.inFlight--
	if c.inFlight == 0 && !c.reading && !c.stopping {
		c.setIdleDeadline()
	}
	c.mu.Unlock()
	<-c.slots
	if err != nil {
		c.logf("restrpc: closing %s connection from %s: write answer: %v", c.style, c.conn.RemoteAddr(), err)
		c.shut()
	}
	return err
}

// Close closes the connection; net/rpc calls it once every call has
// been answered.
func (c *rpcConn) Close() error {
	return c.codec.Close()
}

// setIdleDeadline gives the peer IdleTimeout to start its next request
// when nothing is in flight, and no deadline when it waits for answers.
// c.mu is held.
func (c *rpcConn) setIdleDeadline() {
	if c.inFlight == 0 && c.lim.idleTimeout > 0 {
		c.conn.SetReadDeadline(time.Now().Add(c.lim.idleTimeout))
		return
	}
	c.conn.SetReadDeadline(time.Time{})
}

// readFailed logs a read that failed for a timeout (the size cap logs
// where it strikes, in read), and
// returns the error for net/rpc; after Shutdown it is io.EOF, quietly.
func (c *rpcConn) readFailed(err error) error {
	c.mu.Lock()
	stopping, logged := c.stopping, c.logged
	c.logged = true
	c.mu.Unlock()
	if stopping {
		return io.EOF
	}
	var ne net.Error
	if !logged && errors.As(err, &ne) && ne.Timeout() {
		c.logf("restrpc: closing %s connection from %s: idle or half-sent past the timeout",
			c.style, c.conn.RemoteAddr())
	}
	return err
}

// stopReading makes the reader stop at the next request, and wakes it
// if it is waiting for one; calls in flight still get their answers.
func (c *rpcConn) stopReading() {
	c.mu.Lock()
	c.stopping = true
	if !c.reading {
		c.conn.SetReadDeadline(time.Now())
	}
	c.mu.Unlock()
	c.stopOnce.Do(func() { close(c.stop) })
}

// shut closes the socket; reads and writes in progress fail at once.
func (c *rpcConn) shut() {
	c.shutOnce.Do(func() { c.conn.Close() })
	c.stopOnce.Do(func() { close(c.stop) })
}

// read is every byte the codec reads. It counts the bytes of the
// current request against MaxRequestBytes, and when a request begins
// to arrive it gives the rest ReadTimeout to come. Its first error
// sticks: a decoder that failed mid-stream cannot resynchronise.
func (c *rpcConn) read(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.err != nil {
		return 0, c.err
	}
	// Never read past the cap, so a request cannot be buffered whole:
	// a codec that wants more than that fails the connection.
	room := c.lim.maxRequestBytes - c.n
	if room <= 0 {
		c.err = fmt.Errorf("%w: over %d bytes", errRequestTooLarge, c.lim.maxRequestBytes)
		c.logged = true
		c.logf("restrpc: closing %s connection from %s: request over %d bytes",
			c.style, c.conn.RemoteAddr(), c.lim.maxRequestBytes)
		c.conn.Close()
		return 0, c.err
	}
	if int64(len(p)) > room {
		p = p[:room]
	}
	c.mu.Unlock()
	n, err := c.conn.Read(p)
	c.mu.Lock()
	if n > 0 && !c.reading {
		c.reading = true
		if c.lim.readTimeout > 0 && !c.stopping {
			c.conn.SetReadDeadline(time.Now().Add(c.lim.readTimeout))
		}
	}
	c.n += int64(n)
	if err != nil {
		c.err = err
	}
	return n, err
}

// wire is the connection as the wire codec sees it.
type wire struct{ c *rpcConn }

func (w wire) Read(p []byte) (int, error)  { return w.c.read(p) }
func (w wire) Write(p []byte) (int, error) { return w.c.conn.Write(p) }
func (w wire) Close() error {
	w.c.shut()
	return nil
}

// gobServerCodec is net/rpc's own gob codec (which rpc.ServeConn builds
// and does not export), here so that it can read through [wire]. The
// bytes it writes are the same.
type gobServerCodec struct {
	rwc    io.ReadWriteCloser
	dec    *gob.Decoder
	enc    *gob.Encoder
	encBuf *bufio.Writer
}

func newGobServerCodec(rwc io.ReadWriteCloser) *gobServerCodec {
	buf := bufio.NewWriter(rwc)
	return &gobServerCodec{rwc: rwc, dec: gob.NewDecoder(rwc), enc: gob.NewEncoder(buf), encBuf: buf}
}

func (g *gobServerCodec) ReadRequestHeader(r *rpc.Request) error { return g.dec.Decode(r) }

func (g *gobServerCodec) ReadRequestBody(body any) error { return g.dec.Decode(body) }

// WriteResponse writes the header and the reply. If gob cannot encode
// one of them, the stream is broken and the connection is closed.
func (g *gobServerCodec) WriteResponse(r *rpc.Response, body any) error {
	if err := g.enc.Encode(r); err != nil {
		if g.encBuf.Flush() == nil {
			g.rwc.Close()
		}
		return fmt.Errorf("encode answer header: %w", err)
	}
	if err := g.enc.Encode(body); err != nil {
		if g.encBuf.Flush() == nil {
			g.rwc.Close()
		}
		return fmt.Errorf("encode answer: %w", err)
	}
	return g.encBuf.Flush()
}

func (g *gobServerCodec) Close() error { return g.rwc.Close() }
