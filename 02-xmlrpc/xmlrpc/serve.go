// The article contrasts two Python servers: SimpleXMLRPCServer,
// which handles one request at a time ("other requests must wait until
// the first one finishes"), and ThreadXMLRPCServer, which mixes in
// ThreadingMixIn to handle each connection in its own thread. This
// file runs our handler in either mode. Go's net/http is concurrent
// by default (a goroutine per connection); single-threaded mode has
// to be built on purpose.

package xmlrpc

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"
)

// Mode says how many requests are served at once.
type Mode int

const (
	// SingleThreaded serves one connection, and so one request, at
	// a time; others wait in the kernel's accept queue. Keep-alive is
	// off, so each connection carries exactly one request, as with
	// Python's HTTP/1.0 SimpleXMLRPCServer.
	SingleThreaded Mode = iota
	// Concurrent serves each connection in its own goroutine, like
	// ThreadingMixIn does with threads, and keeps connections alive.
	Concurrent
)

func (m Mode) String() string {
	switch m {
	case SingleThreaded:
		return "single"
	case Concurrent:
		return "concurrent"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode reads the server's -mode flag.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "single":
		return SingleThreaded, nil
	case "concurrent":
		return Concurrent, nil
	}
	return 0, fmt.Errorf("unknown mode %q (want single or concurrent)", s)
}

// httpServer is the [net/http.Server] that does the serving, made
// from the fields on first use. In SingleThreaded mode keep-alive is
// off, so each connection carries exactly one request.
func (s *Server) httpServer() *http.Server {
	s.hsOnce.Do(func() {
		rt := or(s.ReadTimeout, DefaultReadTimeout)
		wt := or(s.WriteTimeout, DefaultWriteTimeout)
		s.hs = &http.Server{
			Handler:           s,
			ReadHeaderTimeout: or(s.ReadHeaderTimeout, DefaultReadHeaderTimeout),
			ReadTimeout:       rt,
			// net/http counts WriteTimeout from the end of the request
			// headers, so it must cover reading the body and running
			// the methods too. ServeHTTP sets the real deadline, of
			// WriteTimeout, once the reply is ready; this is a backstop.
			WriteTimeout:   rt + or(s.RequestTimeout, DefaultRequestTimeout) + wt,
			IdleTimeout:    or(s.IdleTimeout, DefaultIdleTimeout),
			MaxHeaderBytes: 64 << 10,
			ErrorLog:       s.ErrorLog,
		}
		s.hs.ConnContext, s.hs.ConnState = s.watchConns()
		if s.Mode == SingleThreaded {
			s.hs.SetKeepAlivesEnabled(false)
		}
	})
	return s.hs
}

// connKey finds a connection's [connInfo] in a request's context.
type connKey struct{}

// connInfo is what the server knows about one connection.
type connInfo struct {
	accepted time.Time
	served   atomic.Bool // ServeHTTP has seen a request on it
}

// watchConns returns the hooks that let the server log a connection
// it closed before a whole request arrived: a client cut off by
// ReadHeaderTimeout or ReadTimeout. net/http closes those silently.
func (s *Server) watchConns() (func(context.Context, net.Conn) context.Context, func(net.Conn, http.ConnState)) {
	var conns sync.Map // net.Conn → *connInfo
	connContext := func(ctx context.Context, c net.Conn) context.Context {
		info := &connInfo{accepted: time.Now()}
		conns.Store(c, info)
		return context.WithValue(ctx, connKey{}, info)
	}
	connState := func(c net.Conn, state http.ConnState) {
		if state != http.StateClosed && state != http.StateHijacked {
			return
		}
		v, ok := conns.LoadAndDelete(c)
		if info, _ := v.(*connInfo); ok && !info.served.Load() {
			s.logf("xmlrpc: %s: closed after %v without a whole request",
				c.RemoteAddr(), time.Since(info.accepted).Round(time.Millisecond))
		}
	}
	return connContext, connState
}

// markServed notes that the connection of r carried a whole request.
func markServed(r *http.Request) {
	if info, ok := r.Context().Value(connKey{}).(*connInfo); ok {
		info.served.Store(true)
	}
}

// Serve accepts connections on ln and answers the XML-RPC calls they
// carry, one at a time or concurrently as Mode says. It blocks until
// Shutdown or Close, and then returns [net/http.ErrServerClosed].
func (s *Server) Serve(ln net.Listener) error {
	n := 1
	if s.Mode != SingleThreaded {
		n = or(s.MaxConns, DefaultMaxConns)
	}
	return s.httpServer().Serve(newLimitListener(ln, n))
}

// ListenAndServe listens on Addr (default [DefaultAddr]) with [Listen]
// and serves.
func (s *Server) ListenAndServe() error {
	addr := s.Addr
	if addr == "" {
		addr = DefaultAddr
	}
	ln, err := Listen(addr)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Listen listens on the TCP address addr as Python's server does:
// without TCP keep-alive probes on the connections it accepts. Go turns
// them on for every accepted connection, at the cost of four system
// calls each; here a connection carries one request, or is closed once
// it has been idle for IdleTimeout, so the probes would never be sent.
// For the single-threaded server, which accepts one connection per
// call, those calls are a tenth of its work.
func Listen(addr string) (net.Listener, error) {
	lc := net.ListenConfig{KeepAlive: -1}
	ln, err := lc.Listen(context.Background(), "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	return ln, nil
}

// Shutdown stops the server gracefully: it stops accepting, lets the
// calls in flight finish, and returns once they have, or with ctx's
// error when ctx ends first; call Close then to cut off the rest.
// In SingleThreaded mode the clients still queued in the listener's
// backlog are not served: their connections are reset.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.httpServer().Shutdown(ctx)
}

// Close stops the server at once, closing every connection.
func (s *Server) Close() error {
	return s.httpServer().Close()
}

// limitListener is a listener that holds at most n connections open:
// it accepts the next one only after one of them was closed. With
// n = 1 and keep-alive off, net/http closes each connection after its
// one response, so requests are served strictly one after another,
// like SimpleXMLRPCServer.
type limitListener struct {
	net.Listener
	slot      chan struct{} // holds a token per open connection
	closed    chan struct{}
	closeOnce sync.Once
}

func newLimitListener(ln net.Listener, n int) *limitListener {
	return &limitListener{Listener: ln, slot: make(chan struct{}, n), closed: make(chan struct{})}
}

func (l *limitListener) Accept() (net.Conn, error) {
	// Take a slot first: while all n connections are being served,
	// the next one is not even accepted; it waits in the kernel's
	// listen backlog.
	select {
	case l.slot <- struct{}{}:
	case <-l.closed:
		return nil, net.ErrClosed
	}
	c, err := l.Listener.Accept()
	if err != nil {
		<-l.slot
		return nil, err
	}
	return &slotConn{Conn: c, release: func() { <-l.slot }}, nil
}

func (l *limitListener) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// slotConn gives the slot back when net/http closes it.
type slotConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *slotConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}

// CloseWrite lets net/http half-close the connection (send FIN)
// before it closes it, as it does for a plain TCP connection.
func (c *slotConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
