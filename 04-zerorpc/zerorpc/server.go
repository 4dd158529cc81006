// The server: a ROUTER. It accepts ZeroMQ connections, reads each one
// in its own goroutine (this file), and runs each call in a goroutine
// of its own (dispatch.go). Its shape is net/http's: a [Server]
// configured by its fields, [Server.Serve] on a listener,
// [Server.ListenAndServe], [Server.Shutdown] and [Server.Close].

package zerorpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"reflect"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
)

// A Server exposes Go functions to zerorpc clients. The zero value
// serves with Python's defaults: add methods with [Server.Register] or
// [Server.RegisterFunc], then call [Server.Serve] or
// [Server.ListenAndServe]. Set the fields before serving.
type Server struct {
	// Name is what _zerorpc_name, _zerorpc_ping and _zerorpc_inspect
	// report. If empty, Register sets it to the registered type's
	// name, as Python uses the class name.
	Name string
	// Addr is the endpoint ListenAndServe binds, such as
	// "tcp://127.0.0.1:4242" (the default, [DefaultAddr]).
	Addr string
	// Heartbeat is the heartbeat interval, [DefaultHeartbeat] if zero.
	// Use the clients' one: a peer silent for two intervals is lost.
	Heartbeat time.Duration
	// MaxMessageSize caps one ZMTP message (all its frames), and
	// MaxHandshakeSize the handshake and every ZMTP command; a peer
	// announcing more is disconnected. Zero means
	// [DefaultMaxMessageSize] and [DefaultMaxHandshakeSize].
	MaxMessageSize   int
	MaxHandshakeSize int
	// MaxDepth caps the nesting of msgpack arrays and maps in an
	// event, [DefaultMaxDepth] if zero; a deeper event is dropped.
	MaxDepth int
	// MaxCallsPerConn caps the calls in flight on one connection (each
	// runs in a goroutine), [DefaultMaxCallsPerConn] if zero. A request
	// beyond it is answered at once with a RuntimeError.
	MaxCallsPerConn int
	// ErrorLog receives dropped events and failures; nil means the
	// log package's standard output with a "zerorpc: " prefix.
	ErrorLog *log.Logger

	initOnce  sync.Once
	startOnce sync.Once
	set       settings
	maxCalls  int
	ids       *idSource
	methods   map[string]*method
	ctx       context.Context // cancelled by Close: ends every call
	cancel    context.CancelFunc

	mu         sync.Mutex
	serving    bool // Serve was called: methods are fixed
	inShutdown bool // no new connections, no new calls
	closed     bool
	listeners  map[net.Listener]struct{}
	conns      map[net.Conn]struct{} // every accepted connection, handshake or not
	chans      map[chanKey]*serverChan
	calls      int            // calls in flight
	loops      sync.WaitGroup // connection readers and the heartbeat loop
}

// ErrServerClosed is returned by [Server.Serve] and
// [Server.ListenAndServe] after [Server.Shutdown] or [Server.Close].
var ErrServerClosed = errors.New("zerorpc: Server closed")

// init makes the zero value usable: the built-in methods, the maps.
func (s *Server) init() {
	s.initOnce.Do(func() {
		s.ids = newIDSource()
		s.methods = make(map[string]*method)
		s.listeners = make(map[net.Listener]struct{})
		s.conns = make(map[net.Conn]struct{})
		s.chans = make(map[chanKey]*serverChan)
		s.ctx, s.cancel = context.WithCancel(context.Background())
		s.addBuiltins()
	})
}

// Register exposes the exported methods of v under Python-style names
// (Add → add). If v implements [Documented], its docs are used for
// introspection. If the server has no Name yet, it takes v's type
// name, as Python uses the class name.
func (s *Server) Register(v any) error {
	s.init()
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	docs := map[string]Doc{}
	if d, ok := v.(Documented); ok {
		docs = d.ZerorpcDocs()
	}
	if s.Name == "" {
		t := rt
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		s.Name = t.Name()
	}
	for i := range rt.NumMethod() {
		gm := rt.Method(i)
		if strings.HasPrefix(gm.Name, "Zerorpc") {
			continue // ZerorpcDocs describes; it is not a remote method
		}
		name := pythonName(gm.Name)
		if err := s.add(name, rv.Method(i), docs[name]); err != nil {
			return err
		}
	}
	return nil
}

// RegisterFunc exposes one function under an explicit name.
func (s *Server) RegisterFunc(name string, fn any, doc Doc) error {
	s.init()
	return s.add(name, reflect.ValueOf(fn), doc)
}

func (s *Server) add(name string, fn reflect.Value, doc Doc) error {
	s.mu.Lock()
	serving := s.serving
	s.mu.Unlock()
	if serving {
		return errors.New("register: register methods before Serve")
	}
	if name == "" {
		return errors.New("register: empty method name")
	}
	m, err := newMethod(name, fn, doc)
	if err != nil {
		return fmt.Errorf("register: %w", err)
	}
	s.methods[name] = m
	return nil
}

// ListenAndServe listens on s.Addr ([DefaultAddr] if empty) and
// serves. It always returns a non-nil error: [ErrServerClosed] after
// Shutdown or Close.
func (s *Server) ListenAndServe() error {
	endpoint := s.Addr
	if endpoint == "" {
		endpoint = DefaultAddr
	}
	ln, err := Listen(endpoint)
	if err != nil {
		return err
	}
	return s.Serve(ln)
}

// Listen opens a TCP listener on a ZeroMQ endpoint such as
// "tcp://127.0.0.1:4242" ("tcp://*:4242" means every interface, and
// port 0 a free port), for [Server.Serve].
func Listen(endpoint string) (net.Listener, error) {
	addr, err := tcpAddr(endpoint)
	if err != nil {
		return nil, fmt.Errorf("listen: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", endpoint, err)
	}
	return ln, nil
}

// Serve accepts ZeroMQ connections on ln and answers their calls, each
// connection read by a goroutine of its own, until Shutdown or Close.
// It always returns a non-nil error: [ErrServerClosed] after Shutdown
// or Close.
func (s *Server) Serve(ln net.Listener) error {
	s.init()
	s.startOnce.Do(s.start)
	if !s.track(ln) {
		ln.Close()
		return ErrServerClosed
	}
	defer s.untrack(ln)
	for {
		nc, err := ln.Accept()
		if err != nil {
			if s.shuttingDown() {
				return ErrServerClosed
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			s.set.logger.Printf("accept: %v", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if !s.goConn(nc) {
			return ErrServerClosed
		}
	}
}

// goConn reads nc in a goroutine of its own, tracked so that Close can
// close it even in the middle of its handshake.
func (s *Server) goConn(nc net.Conn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		nc.Close()
		return false
	}
	s.conns[nc] = struct{}{}
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		s.serveConn(nc)
	}()
	return true
}

// start runs once, at the first Serve: the fields become settings, the
// methods are fixed, and the heartbeat loop starts.
func (s *Server) start() {
	lim := newLimits(s.MaxMessageSize, s.MaxHandshakeSize, s.MaxDepth)
	s.set = newSettings(s.Heartbeat, s.ErrorLog, lim)
	s.maxCalls = s.MaxCallsPerConn
	if s.maxCalls <= 0 {
		s.maxCalls = DefaultMaxCallsPerConn
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.serving = true
	if s.closed {
		return
	}
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		heartbeatLoop(s.ctx, s.set.heartbeat, s.openChannels)
	}()
}

// track adds a listener for Shutdown and Close to close, unless the
// server is shutting down already.
func (s *Server) track(ln net.Listener) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.inShutdown {
		return false
	}
	s.listeners[ln] = struct{}{}
	return true
}

// untrack forgets a listener Serve no longer accepts on.
func (s *Server) untrack(ln net.Listener) {
	s.mu.Lock()
	delete(s.listeners, ln)
	s.mu.Unlock()
}

// shuttingDown reports whether Shutdown or Close has begun.
func (s *Server) shuttingDown() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inShutdown
}

// serveConn reads one client connection until it closes.
func (s *Server) serveConn(nc net.Conn) {
	defer func() {
		nc.Close()
		s.mu.Lock()
		delete(s.conns, nc)
		s.mu.Unlock()
	}()
	c, err := openConn(nc, zmq4.Router, true, s.set.limits)
	if err != nil {
		if s.ctx.Err() == nil {
			s.set.logger.Printf("%v", err)
		}
		return
	}
	defer s.dropCalls(c)
	for {
		frames, err := c.recv()
		if err != nil {
			if s.ctx.Err() == nil && !errors.Is(err, io.EOF) {
				s.set.logger.Printf("connection from %s closed: %v", c.RemoteAddr(), err)
			}
			return
		}
		s.dispatch(c, frames)
	}
}

// dropCalls cancels the calls of a connection whose client is gone:
// now, rather than after two heartbeat intervals of silence.
func (s *Server) dropCalls(c *zconn) {
	s.mu.Lock()
	var orphans []*serverChan
	for key, ch := range s.chans {
		if key.conn == c {
			orphans = append(orphans, ch)
		}
	}
	s.mu.Unlock()
	for _, ch := range orphans {
		ch.cancel(&LostRemoteError{Method: ch.method})
		s.closeChan(ch)
	}
}

// Shutdown stops the server gracefully: it closes the listeners,
// refuses new calls, and waits for the calls in flight to finish
// (their channels keep heartbeating meanwhile), then closes the
// connections. If ctx ends first, Shutdown closes the server anyway
// and returns ctx's error.
func (s *Server) Shutdown(ctx context.Context) error {
	s.init()
	s.mu.Lock()
	s.inShutdown = true
	err := s.closeListeners()
	s.mu.Unlock()
	wait := time.Millisecond
	for {
		s.mu.Lock()
		idle := s.calls == 0
		s.mu.Unlock()
		if idle {
			return errors.Join(err, s.Close())
		}
		select {
		case <-ctx.Done():
			s.Close()
			return ctx.Err()
		case <-time.After(wait):
			wait = min(2*wait, 100*time.Millisecond)
		}
	}
}

// Close stops the server at once: the listeners and connections
// close, and calls in flight see their context cancelled. It waits
// for the server's own goroutines (not for the methods still running).
func (s *Server) Close() error {
	s.init()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed, s.inShutdown = true, true
	s.cancel()
	err := s.closeListeners()
	for c := range s.conns {
		c.Close()
	}
	s.mu.Unlock()
	s.loops.Wait()
	return err
}

// closeListeners closes every listener; s.mu is held.
func (s *Server) closeListeners() error {
	var err error
	for ln := range s.listeners {
		if cerr := ln.Close(); cerr != nil && !errors.Is(cerr, net.ErrClosed) {
			err = errors.Join(err, cerr)
		}
		delete(s.listeners, ln)
	}
	return err
}

// openChannels lists the calls in flight for the heartbeat loop.
func (s *Server) openChannels() []beater {
	s.mu.Lock()
	defer s.mu.Unlock()
	open := make([]beater, 0, len(s.chans))
	for _, ch := range s.chans {
		open = append(open, ch)
	}
	return open
}

// publicNames lists the methods _zerorpc_list shows: not the
// built-ins, sorted as Python's dir() sorts them.
func (s *Server) publicNames() []string {
	var names []string
	for name := range s.methods {
		if !strings.HasPrefix(name, "_") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	return names
}
