// One process can offer the same calculator on three wires. `Listen`
// starts one of them in the background and `Close` stops it, so a
// test, a benchmark or the `server` program can run any mix of them.

package restrpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/rpc"
	"net/rpc/jsonrpc"
	"sync"
	"time"
)

// `closeGrace` is how long `Close` waits for REST requests in flight.
const closeGrace = 5 * time.Second

// `Server` is one style's server, running.
type Server struct {
	style Style
	ln    net.Listener
	http  *http.Server // REST
	rpc   *rpc.Server  // GobRPC, JSONRPC

	mu     sync.Mutex
	closed bool
	conns  map[net.Conn]struct{}
	wg     sync.WaitGroup
}

// `Listen` serves `style` on the TCP address `addr`; use
// "127.0.0.1:0" for a free port and `Addr` to learn it.
func Listen(style Style, addr string) (*Server, error) {
	if _, err := ParseStyle(string(style)); err != nil {
		return nil, err
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen %s: %w", style, err)
	}
	return serve(style, ln), nil
}

// `serve` starts serving on a listener.
func serve(style Style, ln net.Listener) *Server {
	s := &Server{style: style, ln: ln, conns: make(map[net.Conn]struct{})}
	s.wg.Add(1)
	if style == REST {
		// Timeouts keep a slow or silent client from holding a
		// connection forever.
		s.http = &http.Server{
			Handler:           NewRESTHandler(),
			ReadHeaderTimeout: 10 * time.Second,
			IdleTimeout:       2 * time.Minute,
		}
		go func() {
			defer s.wg.Done()
			s.http.Serve(ln)
		}()
		return s
	}
	s.rpc = NewRPCServer()
	go func() {
		defer s.wg.Done()
		s.acceptRPC()
	}()
	return s
}

// `Addr` is the address the server listens on, such as
// "127.0.0.1:8001".
func (s *Server) Addr() string { return s.ln.Addr().String() }

// `Style` is the wire this server speaks.
func (s *Server) Style() Style { return s.style }

// `acceptRPC` gives each connection its own goroutine. `net/rpc`
// reads requests from a connection one after another, but runs each
// call in a goroutine of its own, so one slow call does not block
// the next.
func (s *Server) acceptRPC() {
	var delay time.Duration
	for {
		conn, err := s.ln.Accept()
		if err != nil {
			if s.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			// Out of file descriptors, say: wait a little, retry.
			delay = min(max(2*delay, 5*time.Millisecond), time.Second)
			time.Sleep(delay)
			continue
		}
		delay = 0
		if !s.track(conn) {
			conn.Close()
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			defer s.untrack(conn)
			if s.style == JSONRPC {
				s.rpc.ServeCodec(jsonrpc.NewServerCodec(conn))
			} else {
				s.rpc.ServeConn(conn)
			}
		}()
	}
}

// `Close` stops the server and returns once every goroutine it
// started has ended. The REST server first lets requests in flight
// finish (for up to `closeGrace`); `net/rpc` cannot tell an idle
// connection from a busy one, so its connections are closed at once.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	conns := make([]net.Conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()

	var err error
	if s.http != nil {
		ctx, cancel := context.WithTimeout(context.Background(), closeGrace)
		err = s.http.Shutdown(ctx)
		cancel()
		if err != nil {
			err = s.http.Close()
		}
	} else {
		err = s.ln.Close()
		for _, c := range conns {
			c.Close()
		}
	}
	s.wg.Wait()
	if err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("close %s server: %w", s.style, err)
	}
	return nil
}

func (s *Server) isClosed() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.closed
}

// `track` remembers an open connection so `Close` can close it; it
// refuses once the server is closed.
func (s *Server) track(c net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *Server) untrack(c net.Conn) {
	s.mu.Lock()
	delete(s.conns, c)
	s.mu.Unlock()
	c.Close()
}
