// One process can offer the same calculator on three wires. A Server
// speaks one of them; it is started and stopped the way net/http's
// server is: Serve on a listener, Shutdown to stop, so a test, a
// benchmark or the server program can run any mix of them.

package restrpc

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/rpc"
	"sync"
	"time"
)

// ErrServerClosed is what [Server.Serve] and [Server.ListenAndServe]
// return after [Server.Shutdown] or [Server.Close]. It is the same
// value as [http.ErrServerClosed], whatever the style.
var ErrServerClosed = http.ErrServerClosed

// The defaults a zero [Server] uses. A calculation is a few dozen
// bytes and answers at once, so these are generous for an honest
// client and still bound what a hostile one can take.
const (
	DefaultReadTimeout       = 10 * time.Second
	DefaultReadHeaderTimeout = 5 * time.Second
	DefaultWriteTimeout      = 10 * time.Second
	DefaultIdleTimeout       = 2 * time.Minute
	DefaultMaxRequestBytes   = 64 << 10
	DefaultMaxCallsPerConn   = 128
	DefaultMaxConns          = 1024
)

// Server serves the calculator in one [Style]. Its fields are its
// configuration; the zero value is a REST server on 127.0.0.1:8000 with
// the default limits. Set the fields before calling Serve, and do not
// change them afterwards.
//
// The limits exist because a server must outlive its worst client. Go's
// net/rpc, left alone, reads a connection as fast as the peer writes,
// starts a goroutine for every call it reads, buffers a request of any
// size whole, and waits forever for a silent peer. Every limit below
// turns one of those into a closed connection and a log line.
type Server struct {
	// Style is the wire to speak; the zero value means [REST].
	Style Style
	// Addr is where [Server.ListenAndServe] listens; empty means the
	// style's [Style.DefaultAddr].
	Addr string

	// ReadTimeout is how long one request may take to arrive, once its
	// first byte has: a peer that sends half a request and stops is
	// disconnected. For REST it is [http.Server.ReadTimeout].
	ReadTimeout time.Duration
	// ReadHeaderTimeout is how long REST waits for a request's headers
	// ([http.Server.ReadHeaderTimeout]).
	ReadHeaderTimeout time.Duration
	// WriteTimeout is how long writing one answer may take. A peer that
	// does not read its answers fills the socket's buffers, and after
	// this long its connection is closed.
	WriteTimeout time.Duration
	// IdleTimeout is how long a connection may stay silent with no call
	// in flight before the server closes it.
	IdleTimeout time.Duration

	// MaxRequestBytes caps one request: for RPC every byte read for one
	// call, header and arguments; for REST the body. A peer past it is
	// disconnected (RPC) or answered 413 (REST).
	MaxRequestBytes int64
	// MaxCallsPerConn caps the RPC calls one connection may have in
	// flight. At the cap the server stops reading that connection until
	// an answer has been written, so a peer that pipelines calls and
	// never reads the answers holds at most this many goroutines.
	MaxCallsPerConn int
	// MaxConns caps the connections open at once; one more is closed
	// as soon as it is accepted.
	MaxConns int

	// ErrorLog receives a line for each connection closed for breaking
	// a limit; nil means the log package's standard logger.
	ErrorLog *log.Logger

	mu        sync.Mutex
	closed    bool
	http      *http.Server
	listeners map[net.Listener]struct{}
	conns     map[*rpcConn]struct{}
	wg        sync.WaitGroup
}

// limits are a Server's fields with the defaults filled in.
type limits struct {
	readTimeout, readHeaderTimeout time.Duration
	writeTimeout, idleTimeout      time.Duration
	maxRequestBytes                int64
	maxCallsPerConn, maxConns      int
}

func (s *Server) limits() limits {
	return limits{
		readTimeout:       orDefault(s.ReadTimeout, DefaultReadTimeout),
		readHeaderTimeout: orDefault(s.ReadHeaderTimeout, DefaultReadHeaderTimeout),
		writeTimeout:      orDefault(s.WriteTimeout, DefaultWriteTimeout),
		idleTimeout:       orDefault(s.IdleTimeout, DefaultIdleTimeout),
		maxRequestBytes:   orDefault(s.MaxRequestBytes, DefaultMaxRequestBytes),
		maxCallsPerConn:   orDefault(s.MaxCallsPerConn, DefaultMaxCallsPerConn),
		maxConns:          orDefault(s.MaxConns, DefaultMaxConns),
	}
}

func orDefault[T time.Duration | int64 | int](v, def T) T {
	if v > 0 {
		return v
	}
	return def
}

func (s *Server) style() (Style, error) {
	if s.Style == "" {
		return REST, nil
	}
	return ParseStyle(string(s.Style))
}

func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// ListenAndServe listens on TCP at [Server.Addr] and then calls
// [Server.Serve].
func (s *Server) ListenAndServe() error {
	style, err := s.style()
	if err != nil {
		return err
	}
	addr := s.Addr
	if addr == "" {
		addr = style.DefaultAddr()
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", style, err)
	}
	return s.Serve(ln)
}

// Serve accepts connections on ln and serves each in a goroutine of its
// own. It blocks until the server stops, and then returns
// [ErrServerClosed] (or the error that stopped it). Serve closes ln.
func (s *Server) Serve(ln net.Listener) error {
	style, err := s.style()
	if err != nil {
		ln.Close()
		return err
	}
	lim := s.limits()
	ln = &limitListener{Listener: ln, free: make(chan struct{}, lim.maxConns), logf: s.logf}
	if style == REST {
		hs, err := s.httpServer(lim)
		if err != nil {
			ln.Close()
			return err
		}
		return hs.Serve(ln)
	}
	return s.serveRPC(ln, style, lim)
}

// httpServer makes the REST server once, with the timeouts set.
func (s *Server) httpServer(lim limits) (*http.Server, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrServerClosed
	}
	if s.http == nil {
		h := NewRESTHandler()
		h.MaxBodyBytes = lim.maxRequestBytes
		s.http = &http.Server{
			Handler:           h,
			ReadTimeout:       lim.readTimeout,
			ReadHeaderTimeout: lim.readHeaderTimeout,
			WriteTimeout:      lim.writeTimeout,
			IdleTimeout:       lim.idleTimeout,
			MaxHeaderBytes:    int(lim.maxRequestBytes),
			ErrorLog:          s.ErrorLog,
		}
	}
	return s.http, nil
}

// serveRPC is the accept loop of the two net/rpc styles. net/rpc reads
// the requests of one connection one after another, but runs each call
// in a goroutine of its own, so one slow call does not block the next;
// the connection's codec ([rpcConn]) is where the limits apply.
func (s *Server) serveRPC(ln net.Listener, style Style, lim limits) error {
	if !s.track(ln, nil) {
		ln.Close()
		return ErrServerClosed
	}
	defer ln.Close()
	srv := NewRPCServer()
	var delay time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			if s.isClosed() {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			// Out of file descriptors, say: wait a little, retry.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		c := newRPCConn(conn, style, lim, s.logf)
		if !s.track(nil, c) {
			conn.Close()
			return ErrServerClosed
		}
		go s.serveConn(srv, c)
	}
}

func (s *Server) serveConn(srv *rpc.Server, c *rpcConn) {
	defer s.wg.Done()
	defer s.untrack(c)
	// ServeCodec returns once the codec fails or stops reading, and
	// every call it started has written its answer.
	srv.ServeCodec(c)
}

// track remembers a listener or a connection so that Shutdown and
// Close can reach it; it refuses once the server is closed. A tracked
// connection counts in s.wg.
func (s *Server) track(ln net.Listener, c *rpcConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	if ln != nil {
		if s.listeners == nil {
			s.listeners = make(map[net.Listener]struct{})
		}
		s.listeners[ln] = struct{}{}
	}
	if c != nil {
		if s.conns == nil {
			s.conns = make(map[*rpcConn]struct{})
		}
		s.conns[c] = struct{}{}
		s.wg.Add(1)
	}
	return true
}

func (s *Server) untrack(c *rpcConn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.shut()
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// stop marks the server closed, closes its listeners and returns what
// is left to stop: the REST server, or the RPC connections.
func (s *Server) stop() (*http.Server, []*rpcConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.closed = true
	for ln := range s.listeners {
		ln.Close()
	}
	conns := make([]*rpcConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	return s.http, conns
}

// Shutdown stops the server gracefully: it stops accepting, stops
// reading new calls, and waits for the calls in flight to be answered
// (REST: for the requests in flight) until ctx ends. If ctx ends first,
// Shutdown closes what is left and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	hs, conns := s.stop()
	if hs != nil {
		if err := hs.Shutdown(ctx); err != nil {
			hs.Close()
			return fmt.Errorf("shut down %s server: %w", REST, err)
		}
		return nil
	}
	for _, c := range conns {
		c.stopReading()
	}
	done := make(chan struct{})
	go func() {
		s.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		for _, c := range conns {
			c.shut()
		}
		<-done
		return fmt.Errorf("shut down %s server: %w", s.Style, ctx.Err())
	}
}

// Close stops the server at once: it closes its listeners and every
// connection, and returns once the goroutines serving them have ended.
func (s *Server) Close() error {
	hs, conns := s.stop()
	if hs != nil {
		if err := hs.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			return fmt.Errorf("close %s server: %w", REST, err)
		}
		return nil
	}
	for _, c := range conns {
		c.shut()
	}
	s.wg.Wait()
	return nil
}

// limitListener closes a connection accepted beyond the cap, with a
// log line, and frees a place each time one of its connections closes.
type limitListener struct {
	net.Listener
	free chan struct{} // one token per open connection
	logf func(format string, args ...any)
}

func (l *limitListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		select {
		case l.free <- struct{}{}:
			return &limitedConn{Conn: c, release: func() { <-l.free }}, nil
		default:
			l.logf("restrpc: closing connection from %s: over %d connections", c.RemoteAddr(), cap(l.free))
			c.Close()
		}
	}
}

type limitedConn struct {
	net.Conn
	once    sync.Once
	release func()
}

func (c *limitedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.release)
	return err
}
