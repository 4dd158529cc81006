// The article contrasts two Python servers: `SimpleXMLRPCServer`,
// which handles one request at a time ("other requests must wait until
// the first one finishes"), and `ThreadXMLRPCServer`, which mixes in
// `ThreadingMixIn` to handle each connection in its own thread. This
// file runs our handler in either mode. Go's `net/http` is concurrent
// by default (a goroutine per connection); single-threaded mode has
// to be built on purpose.

package xmlrpc

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// `DefaultAddr` is the article's address.
const DefaultAddr = "127.0.0.1:8088"

// `Mode` says how many requests are served at once.
type Mode int

const (
	// `SingleThreaded` serves one connection, and so one request, at
	// a time; others wait in the kernel's accept queue. Keep-alive is
	// off, so each connection carries exactly one request, as with
	// Python's HTTP/1.0 `SimpleXMLRPCServer`.
	SingleThreaded Mode = iota
	// `Concurrent` serves each connection in its own goroutine, like
	// `ThreadingMixIn` does with threads, and keeps connections alive.
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

// `ParseMode` reads the server's `-mode` flag.
func ParseMode(s string) (Mode, error) {
	switch s {
	case "single":
		return SingleThreaded, nil
	case "concurrent":
		return Concurrent, nil
	}
	return 0, fmt.Errorf("unknown mode %q (want single or concurrent)", s)
}

// `ServeConfig` holds the mode and the timeouts. The timeouts are
// what keeps a slow (or malicious) client from holding the server:
// without `ReadHeaderTimeout`, a client that opens a connection and
// sends nothing would block a single-threaded server for ever.
type ServeConfig struct {
	Mode              Mode
	ReadHeaderTimeout time.Duration // default 5s
	ReadTimeout       time.Duration // whole request; default 10s
	WriteTimeout      time.Duration // until the reply is written; default 60s
	IdleTimeout       time.Duration // keep-alive wait; default 60s
	ShutdownTimeout   time.Duration // grace for calls in flight; default 5s
}

func (c ServeConfig) withDefaults() ServeConfig {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.ReadHeaderTimeout, 5*time.Second)
	def(&c.ReadTimeout, 10*time.Second)
	def(&c.WriteTimeout, 60*time.Second)
	def(&c.IdleTimeout, 60*time.Second)
	def(&c.ShutdownTimeout, 5*time.Second)
	return c
}

// `Serve` serves `h` on `ln` until `ctx` is done, then shuts down
// gracefully: it stops accepting, lets calls in flight finish (up to
// `ShutdownTimeout`) and returns nil.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, cfg ServeConfig) error {
	cfg = cfg.withDefaults()
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: cfg.ReadHeaderTimeout,
		ReadTimeout:       cfg.ReadTimeout,
		WriteTimeout:      cfg.WriteTimeout,
		IdleTimeout:       cfg.IdleTimeout,
		MaxHeaderBytes:    64 << 10,
	}
	if cfg.Mode == SingleThreaded {
		srv.SetKeepAlivesEnabled(false)
		ln = newOneAtATime(ln)
	}

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		_ = srv.Close()
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}

// `ListenAndServe` listens on `addr` (e.g. `DefaultAddr`) and serves.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, cfg ServeConfig) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	return Serve(ctx, ln, h, cfg)
}

// `Running` is a server started with `Start`.
type Running struct {
	ln     net.Listener
	cancel context.CancelFunc
	done   chan error
	once   sync.Once
	err    error
}

// `Start` listens on `addr` (use "127.0.0.1:0" for a free port) and
// serves `h` in the background until `Close`. Tests, benchmarks and
// the course tour use it to run a server inside their own process.
func Start(addr string, h http.Handler, cfg ServeConfig) (*Running, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &Running{ln: ln, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- Serve(ctx, ln, h, cfg) }()
	return r, nil
}

// `Addr` is the address the server listens on, e.g. "127.0.0.1:43121".
func (r *Running) Addr() string { return r.ln.Addr().String() }

// `URL` is the server's endpoint, to give to `NewClient`.
func (r *Running) URL() string { return "http://" + r.Addr() + "/RPC2" }

// `Close` stops the server and waits for it to finish. Calling it
// again returns the same result.
func (r *Running) Close() error {
	r.once.Do(func() {
		r.cancel()
		r.err = <-r.done
	})
	return r.err
}

// `oneAtATime` is a listener that hands out a new connection only
// after the previous one was closed. With keep-alive off, `net/http`
// closes each connection after its one response, so requests are
// served strictly one after another, like `SimpleXMLRPCServer`.
type oneAtATime struct {
	net.Listener
	slot      chan struct{} // holds a token while a connection is open
	closed    chan struct{}
	closeOnce sync.Once
}

func newOneAtATime(ln net.Listener) *oneAtATime {
	return &oneAtATime{Listener: ln, slot: make(chan struct{}, 1), closed: make(chan struct{})}
}

func (l *oneAtATime) Accept() (net.Conn, error) {
	// Take the slot first: while a connection is being served, the
	// next one is not even accepted.
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

func (l *oneAtATime) Close() error {
	l.closeOnce.Do(func() { close(l.closed) })
	return l.Listener.Close()
}

// `slotConn` gives the slot back when `net/http` closes it.
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

// `CloseWrite` lets `net/http` half-close the connection (send FIN)
// before it closes it, as it does for a plain TCP connection.
func (c *slotConn) CloseWrite() error {
	if cw, ok := c.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}
