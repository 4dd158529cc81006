// Running a handler on a TCP port. The zero [http.Server] has no
// timeouts at all: a client that opens a connection and sends one byte
// a minute holds a goroutine and a socket forever. [HTTPServer] is an
// [http.Server] whose zero value is safe: every timeout and limit left
// at zero gets the lesson's default.

package jsonrpc

import (
	"context"
	"log"
	"net"
	"net/http"
	"sync"
	"time"
)

// The defaults an [HTTPServer] uses for fields left at zero. They suit a
// classroom server on loopback.
const (
	DefaultAddr                  = "127.0.0.1:8080"
	DefaultReadHeaderTimeout     = 5 * time.Second
	DefaultReadTimeout           = 10 * time.Second
	DefaultWriteTimeout          = 30 * time.Second
	DefaultIdleTimeout           = 60 * time.Second
	DefaultMaxHeaderBytes        = 64 << 10
	DefaultMaxConcurrentRequests = 64
)

// An HTTPServer serves an [http.Handler] (usually a [Server], or a mux of
// several) over HTTP. Like [http.Server] it is configured by its fields,
// set before the first call to [HTTPServer.Serve]; unlike it, a zero
// field means the lesson's default, not "no limit".
//
//	srv := &jsonrpc.HTTPServer{Handler: jsonrpc.NewFunctionServer()}
//	ln, err := net.Listen("tcp", "127.0.0.1:0")
//	...
//	go srv.Serve(ln)
//	defer srv.Shutdown(ctx)
type HTTPServer struct {
	// Addr is where [HTTPServer.ListenAndServe] listens;
	// default [DefaultAddr], the article's port on loopback only.
	Addr string
	// Handler answers every request; nil means [http.DefaultServeMux].
	Handler http.Handler

	// ReadHeaderTimeout bounds reading the request line and headers.
	ReadHeaderTimeout time.Duration
	// ReadTimeout bounds reading the whole request, body included.
	ReadTimeout time.Duration
	// WriteTimeout bounds handling the request and writing the response.
	WriteTimeout time.Duration
	// IdleTimeout bounds how long a keep-alive connection waits for the
	// next request.
	IdleTimeout time.Duration
	// MaxHeaderBytes caps the request line and headers.
	MaxHeaderBytes int
	// MaxConcurrentRequests caps the requests handled at once; the next
	// one waits for a slot. Each request may hold a body and a reply in
	// memory, so this cap is what bounds the server's memory when many
	// clients send large requests together.
	MaxConcurrentRequests int
	// ErrorLog receives the HTTP server's errors; nil means the log
	// package's standard logger.
	ErrorLog *log.Logger

	once sync.Once
	srv  *http.Server
}

// server builds the [http.Server] from the fields, once.
func (s *HTTPServer) server() *http.Server {
	s.once.Do(func() {
		h := s.Handler
		if h == nil {
			h = http.DefaultServeMux
		}
		n := orDefault(s.MaxConcurrentRequests, DefaultMaxConcurrentRequests)
		s.srv = &http.Server{
			Addr:              orDefault(s.Addr, DefaultAddr),
			Handler:           limitConcurrency(h, n),
			ReadHeaderTimeout: orDefault(s.ReadHeaderTimeout, DefaultReadHeaderTimeout),
			ReadTimeout:       orDefault(s.ReadTimeout, DefaultReadTimeout),
			WriteTimeout:      orDefault(s.WriteTimeout, DefaultWriteTimeout),
			IdleTimeout:       orDefault(s.IdleTimeout, DefaultIdleTimeout),
			MaxHeaderBytes:    orDefault(s.MaxHeaderBytes, DefaultMaxHeaderBytes),
			ErrorLog:          s.ErrorLog,
		}
	})
	return s.srv
}

// Serve answers the connections ln accepts until [HTTPServer.Shutdown]
// or [HTTPServer.Close] is called; then it returns
// [http.ErrServerClosed]. It always returns a non-nil error.
func (s *HTTPServer) Serve(ln net.Listener) error { return s.server().Serve(ln) }

// ListenAndServe listens on [HTTPServer.Addr] and calls
// [HTTPServer.Serve].
func (s *HTTPServer) ListenAndServe() error { return s.server().ListenAndServe() }

// Shutdown stops accepting connections and waits for the requests in
// flight to finish, or for ctx to end, whichever comes first.
func (s *HTTPServer) Shutdown(ctx context.Context) error { return s.server().Shutdown(ctx) }

// Close closes the listeners and every connection at once, without
// waiting for requests in flight.
func (s *HTTPServer) Close() error { return s.server().Close() }

// limitConcurrency lets at most n requests into h at once. The others
// wait for a slot, or give up when their client does.
func limitConcurrency(h http.Handler, n int) http.Handler {
	slots := make(chan struct{}, n)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case slots <- struct{}{}:
			defer func() { <-slots }()
			h.ServeHTTP(w, r)
		case <-r.Context().Done():
			http.Error(w, "server busy", http.StatusServiceUnavailable)
		}
	})
}

// orDefault is v, or def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}
