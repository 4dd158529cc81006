// The client: a DEALER, that is one ZeroMQ connection, one goroutine
// reading replies and routing them by `response_to` to the call
// waiting for them, and one goroutine sending heartbeats. So any
// number of goroutines can call at once over the one connection.

package zerorpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"iter"
	"math"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/vmihailenco/msgpack/v5"
)

// A `Client` calls one zerorpc server. It is safe for concurrent use.
type Client struct {
	opts options
	ids  *idSource
	conn *zconn

	ctx    context.Context
	cancel context.CancelFunc
	loops  sync.WaitGroup

	mu     sync.Mutex
	chans  map[MessageID]*clientChan
	broken error // set once the connection is gone
}

// Python's flow control for the receiving side: a queue of 100 events;
// more credit is asked for when fewer than 50 are reserved.
const (
	inqueueSize = 100
	refillBelow = inqueueSize / 2
)

// A `clientChan` is one call in progress.
type clientChan struct {
	id     MessageID
	method string
	events chan *Event

	done    chan struct{}
	errOnce sync.Once
	err     error

	heard atomic.Int64 // Unix nanoseconds of the last event
	sent  atomic.Int64
	ever  atomic.Bool // heard anything at all

	// Used only by the goroutine consuming the call.
	reserved int
	verbose  bool
}

// `Dial` connects to a server, e.g. `tcp://127.0.0.1:4242`. Unlike
// Python's lazy connect, it waits for the connection (retrying for
// about 2.5 s, as zmq4 does), so a wrong address fails here and not in
// the first call. A client has exactly one connection: every call and
// every heartbeat goes over it.
func Dial(endpoint string, opts ...Option) (*Client, error) {
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
	o := newOptions(opts)
	conn, err := openConn(nc, zmq4.Dealer, false, o.limits)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", endpoint, err)
	}
	c := &Client{
		opts:  o,
		ids:   newIDSource(),
		conn:  conn,
		chans: make(map[MessageID]*clientChan),
	}
	c.ctx, c.cancel = context.WithCancel(context.Background())
	c.loops.Add(2)
	go func() { defer c.loops.Done(); c.readLoop() }()
	go func() { defer c.loops.Done(); c.heartbeatLoop() }()
	return c, nil
}

const (
	dialRetries    = 10
	dialRetryDelay = 250 * time.Millisecond
)

// `Close` closes the connection; calls in progress fail with
// `ErrClosed`.
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

// `Call` calls `method(args...)` and returns its result decoded into
// plain Go values (`int64`, `float64`, `string`, `[]byte`, `bool`,
// `[]any`, `map[string]any`, nil). A streaming method's items come
// back as one `[]any`. Remote failures are `*RemoteError`; no answer
// within the timeout is `*TimeoutError`; a silent peer is
// `*LostRemoteError`.
func (c *Client) Call(ctx context.Context, method string, args ...any) (any, error) {
	raw, err := c.call(ctx, method, args)
	if err != nil {
		return nil, err
	}
	return decodeAny(raw)
}

// `CallInto` is `Call` decoding the result into `out`, a pointer:
// `var sum int; c.CallInto(ctx, &sum, "add", 2, 3)`.
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

// `call` returns the raw msgpack result: the one element of `OK`'s
// args, or a stream collected into an array.
func (c *Client) call(ctx context.Context, method string, args []any) (msgpack.RawMessage, error) {
	ch, err := c.open(method, args)
	if err != nil {
		return nil, err
	}
	defer c.closeChan(ch)
	timer := time.NewTimer(c.opts.timeout)
	defer timer.Stop()
	ev, err := c.recv(ctx, ch, timer.C)
	if err != nil {
		return nil, err
	}
	switch ev.Name {
	case nameOK:
		return firstArg(ev)
	case nameERR:
		return nil, remoteError(ev)
	case nameStream, nameStreamDone:
		var items []msgpack.RawMessage
		for ev.Name == nameStream {
			items = append(items, ev.Args.(msgpack.RawMessage))
			if ev, err = c.recv(ctx, ch, nil); err != nil {
				return nil, err
			}
		}
		if ev.Name == nameERR {
			return nil, remoteError(ev)
		}
		return msgpack.Marshal(items)
	}
	return nil, fmt.Errorf("call %s: unexpected %s event", method, ev.Name)
}

// `Stream` calls a streaming method and yields its items as they
// arrive; a plain method yields its one result. Stop early with
// `break`: the channel is closed, and the server, hearing no more
// heartbeats, gives up.
func (c *Client) Stream(ctx context.Context, method string, args ...any) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		value, items, err := c.Invoke(ctx, method, args...)
		switch {
		case err != nil:
			yield(nil, err)
		case items == nil:
			yield(value, nil)
		default:
			for item, err := range items {
				if !yield(item, err) || err != nil {
					return
				}
			}
		}
	}
}

// `Invoke` is what Python's `client(method, *args)` does: it returns
// the value of a plain method, or, when the server answers with a
// stream, `items`, which must then be ranged over (to the end or to a
// `break`) to close the call. Credit is granted as Python does: 100
// more when the second item is read, topped up when fewer than 50
// remain. Only the first answer has a deadline, as in Python; after
// it, heartbeats tell whether the server is still there.
func (c *Client) Invoke(ctx context.Context, method string, args ...any) (value any, items iter.Seq2[any, error], err error) {
	ch, err := c.open(method, args)
	if err != nil {
		return nil, nil, err
	}
	timer := time.NewTimer(c.opts.timeout)
	ev, err := c.recv(ctx, ch, timer.C)
	timer.Stop()
	if err != nil {
		c.closeChan(ch)
		return nil, nil, err
	}
	switch ev.Name {
	case nameOK:
		c.closeChan(ch)
		raw, err := firstArg(ev)
		if err != nil {
			return nil, nil, err
		}
		value, err := decodeAny(raw)
		return value, nil, err
	case nameERR:
		c.closeChan(ch)
		return nil, nil, remoteError(ev)
	case nameStream, nameStreamDone:
		return nil, c.items(ctx, ch, ev), nil
	}
	c.closeChan(ch)
	return nil, nil, fmt.Errorf("call %s: unexpected %s event", method, ev.Name)
}

// `items` yields a stream that began with `first`.
func (c *Client) items(ctx context.Context, ch *clientChan, first *Event) iter.Seq2[any, error] {
	return func(yield func(any, error) bool) {
		defer c.closeChan(ch)
		ev := first
		for {
			switch ev.Name {
			case nameStreamDone:
				return
			case nameERR:
				yield(nil, remoteError(ev))
				return
			case nameStream:
				item, err := decodeAny(ev.Args.(msgpack.RawMessage))
				if !yield(item, err) || err != nil {
					return
				}
			default:
				yield(nil, fmt.Errorf("stream %s: unexpected %s event", ch.method, ev.Name))
				return
			}
			var err error
			if ev, err = c.recv(ctx, ch, nil); err != nil {
				yield(nil, err)
				return
			}
		}
	}
}

// `open` registers a channel and sends the request
// `[{message_id, v: 3}, method, args]`.
func (c *Client) open(method string, args []any) (*clientChan, error) {
	if args == nil {
		args = []any{} // args is always an array, never nil
	}
	now := time.Now()
	ch := &clientChan{
		id:       c.ids.next(),
		method:   method,
		events:   make(chan *Event, inqueueSize+2),
		done:     make(chan struct{}),
		reserved: 1,
	}
	ch.heard.Store(now.UnixNano())
	ch.sent.Store(now.UnixNano())
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

// `send` writes `["", payload]`: always the empty delimiter first.
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

// `recv` takes the next event of a call, first asking for more credit
// exactly when Python's `BufferedChannel.recv` would.
func (c *Client) recv(ctx context.Context, ch *clientChan, timeout <-chan time.Time) (*Event, error) {
	if ch.verbose {
		if ch.reserved < refillBelow {
			n := inqueueSize - ch.reserved
			ch.reserved += n
			c.emit(ch, nameMore, []any{n})
		}
	} else {
		ch.verbose = true
	}
	ev, err := c.wait(ctx, ch, timeout)
	if err != nil {
		return nil, err
	}
	ch.reserved--
	return ev, nil
}

func (c *Client) wait(ctx context.Context, ch *clientChan, timeout <-chan time.Time) (*Event, error) {
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
		return nil, &TimeoutError{Method: ch.method, After: c.opts.timeout}
	}
}

// `emit` sends an uncounted channel event (`_zpc_more`, `_zpc_hb`).
func (c *Client) emit(ch *clientChan, name string, args any) {
	payload, err := MarshalEvent(&Event{
		Header: Header{MessageID: c.ids.next(), ResponseTo: ch.id},
		Name:   name,
		Args:   args,
	})
	if err != nil {
		return
	}
	ch.sent.Store(time.Now().UnixNano())
	if err := c.send(payload); err != nil && c.ctx.Err() == nil {
		c.opts.logger.Printf("send %s: %v", name, err)
	}
}

// `readLoop` routes every reply to its call by `response_to`. What
// cannot be routed is logged and dropped (a late reply after a
// timeout, garbage); a closed connection fails every open call, and
// later calls fail at once.
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
			c.opts.logger.Printf("connection lost: %v", err)
			c.failAll(nil)
			return
		}
		c.dispatch(frames)
	}
}

func (c *Client) dispatch(frames [][]byte) {
	_, payload, err := splitFrames(frames)
	if err != nil {
		c.opts.logger.Printf("drop: %v", err)
		return
	}
	ev, err := unmarshalEvent(payload, c.opts.limits.maxDepth)
	if err != nil {
		c.opts.logger.Printf("drop: %v", err)
		return
	}
	c.mu.Lock()
	ch := c.chans[ev.Header.ResponseTo]
	c.mu.Unlock()
	if ch == nil {
		c.opts.logger.Printf("drop %s event: unknown response_to %q", ev.Name, ev.Header.ResponseTo)
		return
	}
	ch.heard.Store(time.Now().UnixNano())
	ch.ever.Store(true)
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

// `failAll` ends every open call; `nil` means "connection lost".
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

// `heartbeatLoop` sends `_zpc_hb [0]` on every open channel each
// interval, and fails a call whose server said nothing for twice the
// interval (three intervals before the first event, as Python's clock
// starts one interval in).
func (c *Client) heartbeatLoop() {
	hb := c.opts.heartbeat
	t := time.NewTicker(heartbeatTick(hb))
	defer t.Stop()
	for {
		select {
		case <-c.ctx.Done():
			return
		case now := <-t.C:
			c.mu.Lock()
			open := make([]*clientChan, 0, len(c.chans))
			for _, ch := range c.chans {
				open = append(open, ch)
			}
			c.mu.Unlock()
			for _, ch := range open {
				limit := 2 * hb
				if !ch.ever.Load() {
					limit = 3 * hb
				}
				silent := now.Sub(time.Unix(0, ch.heard.Load()))
				if silent > limit {
					ch.fail(&LostRemoteError{Method: ch.method, Silent: silent})
					c.closeChan(ch)
					continue
				}
				if now.Sub(time.Unix(0, ch.sent.Load())) >= hb {
					c.emit(ch, nameHeartbeat, []any{0})
				}
			}
		}
	}
}

func (ch *clientChan) fail(err error) {
	ch.errOnce.Do(func() {
		ch.err = err
		close(ch.done)
	})
}

// `firstArg` unwraps `OK`'s args, always a one-element array.
func firstArg(ev *Event) (msgpack.RawMessage, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(ev.Args.(msgpack.RawMessage)))
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 1 {
		return nil, errors.New("OK event without a result")
	}
	return dec.DecodeRaw()
}

// `remoteError` reads `ERR`'s args: `[name, message, traceback]` in
// protocol v2+, `[message]` in v1.
func remoteError(ev *Event) error {
	var parts []any
	_ = msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &parts)
	str := func(i int) string {
		if i >= len(parts) || parts[i] == nil {
			return ""
		}
		if s, ok := parts[i].(string); ok {
			return s
		}
		return fmt.Sprint(parts[i])
	}
	if len(parts) == 1 {
		return &RemoteError{Name: "RemoteError", Message: str(0)}
	}
	return &RemoteError{Name: str(0), Message: str(1), Traceback: str(2)}
}

// `decodeAny` decodes msgpack into plain Go values, every int as
// `int64`, bin as `[]byte`, str as `string` (Python writes 1000 as a msgpack uint16, -1000 as an int16:
// to Python, and to us, both are just ints).
func decodeAny(raw msgpack.RawMessage) (any, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(raw))
	v, err := dec.DecodeInterface()
	if err != nil {
		return nil, fmt.Errorf("decode result: %w", err)
	}
	return plainInts(v), nil
}

func plainInts(v any) any {
	switch v := v.(type) {
	case int8:
		return int64(v)
	case int16:
		return int64(v)
	case int32:
		return int64(v)
	case uint8:
		return int64(v)
	case uint16:
		return int64(v)
	case uint32:
		return int64(v)
	case uint64:
		if v <= math.MaxInt64 {
			return int64(v)
		}
	case []any:
		for i := range v {
			v[i] = plainInts(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = plainInts(v[k])
		}
	}
	return v
}
