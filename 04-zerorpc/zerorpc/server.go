// The server: a ROUTER. It accepts ZeroMQ connections, reads each one
// in its own goroutine, and runs each call in a goroutine of its own.
// Each call is a channel keyed by the connection it came on and the
// request's message id; the reply goes back on that connection. The
// channel holds the call's flow-control credit and heartbeat clock.

package zerorpc

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"reflect"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/vmihailenco/msgpack/v5"
)

// A `Server` exposes Go functions to zerorpc clients. Build it with
// `NewServer`, add methods with `Register`/`RegisterFunc`, then
// `Listen` and `Serve` (or `Start`, which does both).
type Server struct {
	opts    options
	ids     *idSource
	methods map[string]*method

	ctx    context.Context
	cancel context.CancelFunc
	ln     net.Listener
	addr   string
	loops  sync.WaitGroup

	mu    sync.Mutex
	chans map[chanKey]*serverChan
	conns map[*zconn]struct{}
}

// A call is identified by the connection it came on and the id of its
// first event.
type chanKey struct {
	conn *zconn
	id   MessageID
}

// A `serverChan` is one call in progress.
type serverChan struct {
	key      chanKey
	envelope [][]byte // routing frames before the delimiter, usually none
	method   string
	ctx      context.Context
	cancel   context.CancelCauseFunc

	// Credit: how many counted events (OK, ERR, STREAM, STREAM_DONE)
	// the client is ready to receive. It starts at 1.
	mu     sync.Mutex
	credit int
	more   chan struct{}

	// The heartbeat clock, in Unix nanoseconds.
	heard atomic.Int64
	sent  atomic.Int64

	// `sendMu` orders the final reply and heartbeats, so no
	// heartbeat follows the reply that closed the channel.
	sendMu   sync.Mutex
	finished bool
}

// `NewServer` returns a server with the built-in introspection
// methods and none of yours yet.
func NewServer(opts ...Option) *Server {
	s := &Server{
		opts:    newOptions(opts),
		ids:     newIDSource(),
		methods: make(map[string]*method),
		chans:   make(map[chanKey]*serverChan),
		conns:   make(map[*zconn]struct{}),
	}
	s.ctx, s.cancel = context.WithCancel(context.Background())
	s.addBuiltins()
	return s
}

// `Register` exposes the exported methods of `v` under Python-style
// names (`Add` → `add`). If `v` implements `Documented`, its docs are
// used for introspection. The server's name defaults to `v`'s type
// name, as Python uses the class name.
func (s *Server) Register(v any) error {
	rv := reflect.ValueOf(v)
	rt := rv.Type()
	docs := map[string]Doc{}
	if d, ok := v.(Documented); ok {
		docs = d.ZerorpcDocs()
	}
	if s.opts.name == "" {
		t := rt
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		s.opts.name = t.Name()
	}
	for i := 0; i < rt.NumMethod(); i++ {
		gm := rt.Method(i)
		if strings.HasPrefix(gm.Name, "Zerorpc") {
			continue // `ZerorpcDocs` describes; it is not a remote method
		}
		name := pythonName(gm.Name)
		if err := s.add(name, rv.Method(i), docs[name]); err != nil {
			return err
		}
	}
	return nil
}

// `RegisterFunc` exposes one function under an explicit name.
func (s *Server) RegisterFunc(name string, fn any, doc Doc) error {
	return s.add(name, reflect.ValueOf(fn), doc)
}

func (s *Server) add(name string, fn reflect.Value, doc Doc) error {
	if s.ln != nil {
		return errors.New("register: register methods before Listen")
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

// `Name` is what `_zerorpc_name` answers.
func (s *Server) Name() string { return s.opts.name }

// `Listen` binds the server, e.g. to `tcp://127.0.0.1:4242`. Port 0
// picks a free port; `Endpoint` tells which.
func (s *Server) Listen(endpoint string) error {
	addr, err := tcpAddr(endpoint)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", endpoint, err)
	}
	s.ln = ln
	s.addr = "tcp://" + ln.Addr().String()
	return nil
}

// `Endpoint` is the address clients dial, with the real port.
func (s *Server) Endpoint() string { return s.addr }

// `Serve` answers calls until `ctx` is done or `Close` is called.
func (s *Server) Serve(ctx context.Context) error {
	if s.ln == nil {
		return errors.New("serve: call Listen first")
	}
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		s.heartbeatLoop()
	}()
	stop := context.AfterFunc(ctx, func() { s.Close() })
	defer stop()
	for {
		nc, err := s.ln.Accept()
		if err != nil {
			if s.ctx.Err() != nil {
				return nil
			}
			s.opts.logger.Printf("accept: %v", err)
			time.Sleep(10 * time.Millisecond)
			continue
		}
		s.loops.Add(1)
		go func() {
			defer s.loops.Done()
			s.serveConn(nc)
		}()
	}
}

// `serveConn` reads one client connection until it closes.
func (s *Server) serveConn(nc net.Conn) {
	c, err := openConn(nc, zmq4.Router, true, s.opts.limits)
	if err != nil {
		s.opts.logger.Printf("%v", err)
		return
	}
	s.mu.Lock()
	if s.ctx.Err() != nil {
		s.mu.Unlock()
		c.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.mu.Unlock()
	defer func() {
		c.Close()
		// The client is gone: so are its calls. Cancel them now
		// rather than after two heartbeat intervals of silence.
		s.mu.Lock()
		delete(s.conns, c)
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
	}()
	for {
		frames, err := c.recv()
		if err != nil {
			if !c.closed.Load() && !errors.Is(err, io.EOF) {
				s.opts.logger.Printf("connection from %s: %v", c.RemoteAddr(), err)
			}
			return
		}
		s.dispatch(c, frames)
	}
}

// `Start` is `Listen` then `Serve` in a goroutine, for tests and
// programs that embed a server.
func (s *Server) Start(endpoint string) error {
	if err := s.Listen(endpoint); err != nil {
		return err
	}
	s.loops.Add(1)
	go func() {
		defer s.loops.Done()
		_ = s.Serve(context.Background())
	}()
	return nil
}

// `Close` stops the server: calls in progress see their context
// cancelled and the connections close.
func (s *Server) Close() error {
	s.mu.Lock()
	if s.ctx.Err() != nil {
		s.mu.Unlock()
		return nil
	}
	s.cancel()
	conns := make([]*zconn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	var err error
	if s.ln != nil {
		err = s.ln.Close()
	}
	for _, c := range conns {
		c.Close()
	}
	return err
}

// `Wait` blocks until the goroutines started by `Serve`/`Start` are done.
func (s *Server) Wait() { s.loops.Wait() }

// `dispatch` routes one incoming message. A bad one is logged and
// dropped: one broken client must not stop the others being served.
func (s *Server) dispatch(c *zconn, frames [][]byte) {
	envelope, payload, err := splitFrames(frames)
	if err != nil {
		s.opts.logger.Printf("drop: %v", err)
		return
	}
	ev, err := unmarshalEvent(payload, s.opts.limits.maxDepth)
	if err != nil {
		s.opts.logger.Printf("drop: %v", err)
		return
	}
	if ev.Header.ResponseTo.IsZero() {
		s.open(c, envelope, ev)
		return
	}
	s.mu.Lock()
	ch := s.chans[chanKey{c, ev.Header.ResponseTo}]
	s.mu.Unlock()
	if ch == nil {
		s.opts.logger.Printf("drop %s event: unknown response_to %q", ev.Name, ev.Header.ResponseTo)
		return
	}
	ch.touch()
	switch ev.Name {
	case nameHeartbeat:
	case nameMore:
		ch.grant(ev.Args.(msgpack.RawMessage))
	default:
		s.opts.logger.Printf("drop %s event on open channel %q", ev.Name, ev.Header.ResponseTo)
	}
}

// `open` starts a call: a new channel and a goroutine to run it.
func (s *Server) open(c *zconn, envelope [][]byte, ev *Event) {
	key := chanKey{c, ev.Header.MessageID}
	ctx, cancel := context.WithCancelCause(s.ctx)
	now := time.Now()
	ch := &serverChan{
		key:      key,
		envelope: envelope,
		method:   ev.Name,
		ctx:      ctx,
		cancel:   cancel,
		credit:   1,
		more:     make(chan struct{}, 1),
	}
	// Like Python, the silence clock starts one interval in.
	ch.heard.Store(now.Add(s.opts.heartbeat).UnixNano())
	ch.sent.Store(now.UnixNano())
	s.mu.Lock()
	if s.chans[key] != nil {
		s.mu.Unlock()
		cancel(nil)
		s.opts.logger.Printf("drop duplicate request %q", key.id)
		return
	}
	s.chans[key] = ch
	s.mu.Unlock()
	go s.handle(ch, ev)
}

func (s *Server) closeChan(ch *serverChan) {
	s.mu.Lock()
	if s.chans[ch.key] == ch {
		delete(s.chans, ch.key)
	}
	s.mu.Unlock()
	ch.cancel(nil)
}

// `handle` runs one call and answers it: OK, ERR, or a stream.
func (s *Server) handle(ch *serverChan, ev *Event) {
	defer s.closeChan(ch)
	m := s.methods[ev.Name]
	if m == nil || ev.NameIsBin {
		s.reply(ch, nameERR, errArgs(&RemoteError{Name: "NameError", Message: ev.Name}))
		return
	}
	result, err := m.call(ch.ctx, ev.Args.(msgpack.RawMessage))
	if ch.ctx.Err() != nil {
		// The remote is gone (or we are closing): like Python, drop
		// the call silently.
		return
	}
	if err != nil {
		s.reply(ch, nameERR, errArgs(err))
		return
	}
	if m.stream != notStream {
		s.stream(ch, m, result)
		return
	}
	var v any
	if result.IsValid() {
		v = result.Interface()
	}
	s.reply(ch, nameOK, []any{v})
}

// `stream` sends each item as a `STREAM` event, one credit each, then
// `STREAM_DONE` (or `ERR` if the iterator fails).
func (s *Server) stream(ch *serverChan, m *method, v reflect.Value) {
	var sendErr error
	err := eachItem(ch.ctx, m.stream, v, func(item any) bool {
		sendErr = s.emit(ch, nameStream, item, false)
		return sendErr == nil
	})
	if ch.ctx.Err() != nil || sendErr != nil {
		if sendErr != nil && ch.ctx.Err() == nil {
			s.opts.logger.Printf("stream %s: %v", m.name, sendErr)
		}
		return
	}
	if err != nil {
		s.reply(ch, nameERR, errArgs(err))
		return
	}
	s.reply(ch, nameStreamDone, nil)
}

// `reply` sends the event that ends the call. A result msgpack cannot
// encode becomes an ERR instead, so the caller still gets an answer.
func (s *Server) reply(ch *serverChan, name string, args any) {
	err := s.emit(ch, name, args, true)
	var enc *encodeError
	if errors.As(err, &enc) {
		err = s.emit(ch, nameERR, errArgs(&RemoteError{Name: "TypeError", Message: enc.Error()}), true)
	}
	if err != nil && ch.ctx.Err() == nil {
		s.opts.logger.Printf("reply to %s: %v", ch.method, err)
	}
}

type encodeError struct{ err error }

func (e *encodeError) Error() string { return e.err.Error() }

// `emit` waits for one credit, then sends a counted event.
func (s *Server) emit(ch *serverChan, name string, args any, final bool) error {
	if err := ch.takeCredit(); err != nil {
		return err
	}
	ev := &Event{
		Header: Header{MessageID: s.ids.next(), ResponseTo: ch.key.id},
		Name:   name,
		Args:   args,
	}
	payload, err := MarshalEvent(ev)
	if err != nil {
		ch.giveBack()
		return &encodeError{err}
	}
	ch.sendMu.Lock()
	defer ch.sendMu.Unlock()
	ch.finished = final
	ch.sent.Store(time.Now().UnixNano())
	return ch.sendPayload(payload)
}

// `sendPayload` sends `envelope…, "", payload` on the call's
// connection. If the client is gone, so is the reply.
func (ch *serverChan) sendPayload(payload []byte) error {
	if len(ch.envelope) == 0 {
		return ch.key.conn.send([]byte{}, payload)
	}
	frames := make([][]byte, 0, len(ch.envelope)+2)
	frames = append(frames, ch.envelope...)
	frames = append(frames, []byte{}, payload)
	return ch.key.conn.send(frames...)
}

// `errArgs` is the ERR layout of protocol v3:
// `[name, message, traceback or nil]`.
func errArgs(err error) []any {
	var re *RemoteError
	if !errors.As(err, &re) {
		re = &RemoteError{Name: "Error", Message: err.Error()}
	}
	var tb any
	if re.Traceback != "" {
		tb = re.Traceback
	}
	return []any{re.Name, re.Message, tb}
}

// `heartbeatLoop` keeps every open channel alive and notices the
// silent ones: a heartbeat each interval, and a channel whose client
// said nothing for twice the interval is cancelled with a
// `LostRemoteError` and freed.
func (s *Server) heartbeatLoop() {
	hb := s.opts.heartbeat
	t := time.NewTicker(heartbeatTick(hb))
	defer t.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case now := <-t.C:
			s.mu.Lock()
			open := make([]*serverChan, 0, len(s.chans))
			for _, ch := range s.chans {
				open = append(open, ch)
			}
			s.mu.Unlock()
			for _, ch := range open {
				if silent := now.Sub(time.Unix(0, ch.heard.Load())); silent > 2*hb {
					s.opts.logger.Printf("lost remote on %s after %s", ch.method, silent+hb)
					ch.cancel(&LostRemoteError{Method: ch.method, Silent: silent + hb})
					s.closeChan(ch)
					continue
				}
				if now.Sub(time.Unix(0, ch.sent.Load())) >= hb {
					s.heartbeat(ch)
				}
			}
		}
	}
}

func (s *Server) heartbeat(ch *serverChan) {
	ev := &Event{
		Header: Header{MessageID: s.ids.next(), ResponseTo: ch.key.id},
		Name:   nameHeartbeat,
		Args:   []any{0},
	}
	payload, err := MarshalEvent(ev)
	if err != nil {
		return
	}
	ch.sendMu.Lock()
	defer ch.sendMu.Unlock()
	if ch.finished {
		return
	}
	ch.sent.Store(time.Now().UnixNano())
	_ = ch.sendPayload(payload)
}

// `touch` records a sign of life from the client.
func (ch *serverChan) touch() { ch.heard.Store(time.Now().UnixNano()) }

// `grant` adds the credit of a `_zpc_more [n]` event.
func (ch *serverChan) grant(args msgpack.RawMessage) {
	var n []int
	if err := msgpack.Unmarshal(args, &n); err != nil || len(n) == 0 || n[0] <= 0 {
		return
	}
	ch.mu.Lock()
	ch.credit += n[0]
	ch.mu.Unlock()
	select {
	case ch.more <- struct{}{}:
	default:
	}
}

// `takeCredit` blocks until the client can take one more event.
func (ch *serverChan) takeCredit() error {
	for {
		ch.mu.Lock()
		if ch.credit > 0 {
			ch.credit--
			ch.mu.Unlock()
			return nil
		}
		ch.mu.Unlock()
		select {
		case <-ch.more:
		case <-ch.ctx.Done():
			return context.Cause(ch.ctx)
		}
	}
}

func (ch *serverChan) giveBack() {
	ch.mu.Lock()
	ch.credit++
	ch.mu.Unlock()
}

// `publicNames` lists the methods `_zerorpc_list` shows: not the
// built-ins, sorted as Python's `dir()` sorts them.
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
