// The client: a DEALER, that is one ZeroMQ connection, one goroutine
// reading replies and routing them by response_to to the call waiting
// for them, and one goroutine sending heartbeats. So any number of
// goroutines can call at once over the one connection.

package zerorpc

import (
	"context"
	"fmt"
	"log"
	"net"
	"sync"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/vmihailenco/msgpack/v5"
)

// A Dialer holds a client's options; its zero value connects with
// Python's defaults, as [Dial] does.
type Dialer struct {
	// Timeout is how long a call waits for its first answer,
	// [DefaultTimeout] if zero.
	Timeout time.Duration
	// Heartbeat is the heartbeat interval, [DefaultHeartbeat] if zero.
	// Use the server's one: a peer silent for two intervals is lost.
	Heartbeat time.Duration
	// MaxMessageSize, MaxHandshakeSize and MaxDepth cap what the
	// server may send, as the [Server] fields of the same names do.
	MaxMessageSize   int
	MaxHandshakeSize int
	MaxDepth         int
	// ErrorLog receives dropped events and failures; nil means the
	// log package's standard output with a "zerorpc: " prefix.
	ErrorLog *log.Logger
}

// A Client calls one zerorpc server. It is safe for concurrent use.
type Client struct {
	set     settings
	timeout time.Duration
	ids     *idSource
	conn    *zconn

	ctx    context.Context
	cancel context.CancelFunc
	loops  sync.WaitGroup

	mu     sync.Mutex
	chans  map[MessageID]*clientChan
	broken error // set once the connection is gone
}

// A clientChan is one call in progress.
type clientChan struct {
	client *Client
	id     MessageID
	method string
	events chan *Event
	ck     clock

	done    chan struct{}
	errOnce sync.Once
	err     error

	win window // used only by the goroutine consuming the call
}

// Dial connects to a server, such as "tcp://127.0.0.1:4242", with the
// zero [Dialer]'s options.
func Dial(endpoint string) (*Client, error) {
	var d Dialer
	return d.Dial(endpoint)
}

// Dial connects to a server. Unlike Python's lazy connect, it waits
// for the connection (retrying for about 2.5 s, as zmq4 does), so a
// wrong address fails here and not in the first call. A client has
// exactly one connection: every call and every heartbeat goes over it.
func (d *Dialer) Dial(endpoint string) (*Client, error) {
	addr, err := tcpAddr(endpoint)
	if err != nil {
		return nil, fmt.Errorf("dial: %w", err)
	}
	var nc net.Conn
	for attempt := 0; ; attempt++ {
		nc, err = net.DialTimeout("tcp", addr, handshakeTimeout)
		if err == nil || attempt == dialRetries {
			break
		}
		time.Sleep(dialRetryDelay)
	}
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", endpoint, err)
	}
	set := newSettings(d.Heartbeat, d.ErrorLog, newLimits(d.MaxMessageSize, d.MaxHandshakeSize, d.MaxDepth))
	conn, err := openConn(nc, zmq4.Dealer, false, set.limits)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", endpoint, err)
	}
	c := &Client{
		set:     set,
		timeout: d.Timeout,
		ids:     newIDSource(),
		conn:    conn,
		chans:   make(map[MessageID]*clientChan),
	}
	if c.timeout <= 0 {
		c.timeout = DefaultTimeout
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.loops.Add(2)
	go func() { defer c.loops.Done(); c.readLoop() }()
	go func() { defer c.loops.Done(); heartbeatLoop(c.ctx, c.set.heartbeat, c.openChannels) }()
	return c, nil
}

const (
	dialRetries    = 10
	dialRetryDelay = 250 * time.Millisecond
)

// Close closes the connection; calls in progress fail with
// [ErrClosed].
func (c *Client) Close() error {
	c.mu.Lock()
	if c.ctx.Err() != nil {
		c.mu.Unlock()
		return nil
	}
	c.cancel()
	c.mu.Unlock()
	err := c.conn.Close()
	c.failAll(ErrClosed)
	c.loops.Wait()
	return err
}

// Call calls method(args...) and returns its result decoded into plain
// Go values (int64, float64, string, []byte, bool, []any,
// map[string]any, nil). A streaming method's items come back as one
// []any. Remote failures are [*RemoteError]; no answer within the
// timeout is [*TimeoutError]; a silent peer is [*LostRemoteError].
func (c *Client) Call(ctx context.Context, method string, args ...any) (any, error) {
	raw, err := c.call(ctx, method, args)
	if err != nil {
		return nil, err
	}
	return decodeAny(raw)
}

// CallInto is [Client.Call] decoding the result into out, a pointer:
//
//	var sum int
//	err := c.CallInto(ctx, &sum, "add", 2, 3)
func (c *Client) CallInto(ctx context.Context, out any, method string, args ...any) error {
	raw, err := c.call(ctx, method, args)
	if err != nil {
		return err
	}
	if err := msgpack.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("decode result of %s: %w", method, err)
	}
	return nil
}

// call returns the raw msgpack result: the one element of OK's args,
// or a stream collected into an array.
func (c *Client) call(ctx context.Context, method string, args []any) (msgpack.RawMessage, error) {
	ch, err := c.open(method, args)
	if err != nil {
		return nil, err
	}
	defer c.closeChan(ch)
	ev, err := c.first(ctx, ch)
	if err != nil {
		return nil, err
	}
	switch ev.Name {
	case nameOK:
		return firstArg(ev)
	case nameERR:
		return nil, remoteError(ev)
	case nameStream, nameStreamDone:
		return c.collect(ctx, ch, ev)
	}
	return nil, fmt.Errorf("call %s: unexpected %s event", method, ev.Name)
}

// open registers a channel and sends the request
// [{message_id, v: 3}, method, args].
func (c *Client) open(method string, args []any) (*clientChan, error) {
	if args == nil {
		args = []any{} // args is always an array, never nil
	}
	ch := &clientChan{
		client: c,
		id:     c.ids.next(),
		method: method,
		events: make(chan *Event, inqueueSize+2),
		done:   make(chan struct{}),
	}
	ch.ck.start(time.Now())
	payload, err := MarshalEvent(&Event{Header: Header{MessageID: ch.id}, Name: method, Args: args})
	if err != nil {
		return nil, fmt.Errorf("call %s: %w", method, err)
	}
	c.mu.Lock()
	switch {
	case c.ctx.Err() != nil:
		c.mu.Unlock()
		return nil, ErrClosed
	case c.broken != nil:
		c.mu.Unlock()
		return nil, &LostRemoteError{Method: method}
	}
	c.chans[ch.id] = ch
	c.mu.Unlock()
	if err := c.send(payload); err != nil {
		c.closeChan(ch)
		return nil, fmt.Errorf("call %s: send: %w", method, err)
	}
	return ch, nil
}

// send writes ["", payload]: always the empty delimiter first.
func (c *Client) send(payload []byte) error {
	return c.conn.send([]byte{}, payload)
}

func (c *Client) closeChan(ch *clientChan) {
	c.mu.Lock()
	if c.chans[ch.id] == ch {
		delete(c.chans, ch.id)
	}
	c.mu.Unlock()
	ch.fail(ErrClosed)
}

// first waits for a call's first answer, within the call's timeout.
func (c *Client) first(ctx context.Context, ch *clientChan) (*Event, error) {
	timer := time.NewTimer(c.timeout)
	defer timer.Stop()
	return c.recv(ctx, ch, timer.C)
}

// recv takes the next event of a call, first granting more credit
// when the channel's window says so.
func (c *Client) recv(ctx context.Context, ch *clientChan, timeout <-chan time.Time) (*Event, error) {
	if n := ch.win.next(); n > 0 {
		c.emit(ch, nameMore, []any{n})
	}
	select {
	case ev := <-ch.events:
		return ev, nil
	case <-ch.done:
		// An event that arrived just before the failure still counts.
		select {
		case ev := <-ch.events:
			return ev, nil
		default:
		}
		return nil, ch.err
	case <-ctx.Done():
		return nil, fmt.Errorf("call %s: %w", ch.method, ctx.Err())
	case <-timeout:
		return nil, &TimeoutError{Method: ch.method, After: c.timeout}
	}
}

// emit sends an uncounted channel event (_zpc_more, _zpc_hb).
func (c *Client) emit(ch *clientChan, name string, args any) {
	payload, err := MarshalEvent(&Event{
		Header: Header{MessageID: c.ids.next(), ResponseTo: ch.id},
		Name:   name,
		Args:   args,
	})
	if err != nil {
		return
	}
	ch.ck.sentNow()
	if err := c.send(payload); err != nil && c.ctx.Err() == nil {
		c.set.logger.Printf("send %s: %v", name, err)
	}
}

// readLoop routes every reply to its call by response_to. What cannot
// be routed is logged and dropped (a late reply after a timeout,
// garbage); a closed connection fails every open call, and later calls
// fail at once.
func (c *Client) readLoop() {
	for {
		frames, err := c.conn.recv()
		if err != nil {
			if c.ctx.Err() != nil {
				return
			}
			c.mu.Lock()
			c.broken = err
			c.mu.Unlock()
			c.set.logger.Printf("connection lost: %v", err)
			c.conn.Close()
			c.failAll(nil)
			return
		}
		c.dispatch(frames)
	}
}

// dispatch hands one reply to the call it names.
func (c *Client) dispatch(frames [][]byte) {
	_, payload, err := splitFrames(frames)
	if err != nil {
		c.set.logger.Printf("drop: %v", err)
		return
	}
	ev, err := unmarshalEvent(payload, c.set.limits.maxDepth)
	if err != nil {
		c.set.logger.Printf("drop: %v", err)
		return
	}
	c.mu.Lock()
	ch := c.chans[ev.Header.ResponseTo]
	c.mu.Unlock()
	if ch == nil {
		c.set.logger.Printf("drop %s event: unknown response_to %q", ev.Name, ev.Header.ResponseTo)
		return
	}
	ch.ck.heardNow()
	switch ev.Name {
	case nameHeartbeat, nameMore:
		return
	}
	select {
	case ch.events <- ev:
	default:
		ch.fail(fmt.Errorf("call %s: queue overflow: the server ignored flow control", ch.method))
	}
}

// failAll ends every open call; nil means "connection lost".
func (c *Client) failAll(err error) {
	c.mu.Lock()
	open := make([]*clientChan, 0, len(c.chans))
	for _, ch := range c.chans {
		open = append(open, ch)
	}
	c.mu.Unlock()
	for _, ch := range open {
		e := err
		if e == nil {
			e = &LostRemoteError{Method: ch.method}
		}
		ch.fail(e)
	}
}

// openChannels lists the calls in flight for the heartbeat loop.
func (c *Client) openChannels() []beater {
	c.mu.Lock()
	defer c.mu.Unlock()
	open := make([]beater, 0, len(c.chans))
	for _, ch := range c.chans {
		open = append(open, ch)
	}
	return open
}

// fail ends the call with err; the first failure wins.
func (ch *clientChan) fail(err error) {
	ch.errOnce.Do(func() {
		ch.err = err
		close(ch.done)
	})
}

// clock, beat and lost make a clientChan a [beater].
func (ch *clientChan) clock() *clock { return &ch.ck }

func (ch *clientChan) beat() { ch.client.emit(ch, nameHeartbeat, []any{0}) }

func (ch *clientChan) lost(silent time.Duration) {
	ch.fail(&LostRemoteError{Method: ch.method, Silent: silent})
	ch.client.closeChan(ch)
}
