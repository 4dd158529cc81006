// Running a handler on a TCP port. `net/http`'s zero `http.Server` has
// no timeouts at all: a client that opens a connection and sends one
// byte a minute holds a goroutine and a socket forever. These wrappers
// set the timeouts, bind the port before returning (so `127.0.0.1:0`
// works and the caller learns the real port), and shut down cleanly.

package jsonrpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// `Timeouts` bound how long a client may take. Zero fields get the
// defaults below.
type Timeouts struct {
	// `ReadHeader` bounds reading the request line and headers.
	ReadHeader time.Duration
	// `Read` bounds reading the whole request, body included.
	Read time.Duration
	// `Write` bounds handling the request and writing the response.
	Write time.Duration
	// `Idle` bounds how long a keep-alive connection waits for the next
	// request.
	Idle time.Duration
}

// `DefaultTimeouts` suit a classroom server on loopback.
var DefaultTimeouts = Timeouts{
	ReadHeader: 5 * time.Second,
	Read:       10 * time.Second,
	Write:      30 * time.Second,
	Idle:       60 * time.Second,
}

// An `HTTPServer` is a handler listening on a port.
type HTTPServer struct {
	srv  *http.Server
	ln   net.Listener
	done chan error

	closeOnce sync.Once
	closeErr  error
}

// `Listen` binds `addr` and serves `h` on it in the background, with
// `t`'s timeouts (pass `Timeouts{}` for the defaults).
func Listen(addr string, h http.Handler, t Timeouts) (*HTTPServer, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	t = t.withDefaults()
	s := &HTTPServer{
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: t.ReadHeader,
			ReadTimeout:       t.Read,
			WriteTimeout:      t.Write,
			IdleTimeout:       t.Idle,
			MaxHeaderBytes:    64 << 10,
		},
		ln:   ln,
		done: make(chan error, 1),
	}
	go func() { s.done <- s.srv.Serve(ln) }()
	return s, nil
}

// `withDefaults` fills in the zero fields.
func (t Timeouts) withDefaults() Timeouts {
	d := DefaultTimeouts
	if t.ReadHeader > 0 {
		d.ReadHeader = t.ReadHeader
	}
	if t.Read > 0 {
		d.Read = t.Read
	}
	if t.Write > 0 {
		d.Write = t.Write
	}
	if t.Idle > 0 {
		d.Idle = t.Idle
	}
	return d
}

// `Addr` is the address actually bound, e.g. `127.0.0.1:43121`.
func (s *HTTPServer) Addr() string { return s.ln.Addr().String() }

// `URL` is the base URL for clients, e.g. `http://127.0.0.1:43121`.
func (s *HTTPServer) URL() string { return "http://" + s.Addr() }

// `Close` stops accepting connections and waits (up to five seconds)
// for calls in flight to finish. Calling it again returns the same result.
func (s *HTTPServer) Close() error {
	s.closeOnce.Do(func() { s.closeErr = s.shutdown() })
	return s.closeErr
}

func (s *HTTPServer) shutdown() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := s.srv.Shutdown(ctx)
	if serveErr := <-s.done; !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", serveErr)
	}
	if err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// `Serve` is what a `main` needs: listen on `addr`, tell `ready` the
// URL, serve until `ctx` is done (Ctrl-C), then shut down cleanly.
func Serve(ctx context.Context, addr string, h http.Handler, ready func(url string)) error {
	s, err := Listen(addr, h, Timeouts{})
	if err != nil {
		return err
	}
	if ready != nil {
		ready(s.URL())
	}
	select {
	case <-ctx.Done():
	case err := <-s.done:
		// The server stopped by itself: give the error back to `Close`.
		s.done <- err
	}
	return s.Close()
}
