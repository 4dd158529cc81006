// The server's side of a call. Each call is a channel keyed by the
// connection it came on and the request's message id; the reply goes
// back on that connection. dispatch routes every incoming event: a
// request opens a channel and runs the method in a goroutine of its
// own; a heartbeat or a credit grant goes to the channel it names.

package zerorpc

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/vmihailenco/msgpack/v5"
)

// A chanKey identifies a call: the connection it came on and the id
// of its first event.
type chanKey struct {
	conn *zconn
	id   MessageID
}

// A serverChan is one call in progress.
type serverChan struct {
	srv      *Server
	key      chanKey
	envelope [][]byte // routing frames before the delimiter, usually none
	method   string
	ctx      context.Context
	cancel   context.CancelCauseFunc
	credit   *credit
	ck       clock

	// sendMu orders the final reply and heartbeats, so no heartbeat
	// follows the reply that closed the channel.
	sendMu   sync.Mutex
	finished bool
}

// dispatch routes one incoming message. A bad one is logged and
// dropped: one broken client must not stop the others being served.
func (s *Server) dispatch(c *zconn, frames [][]byte) {
	envelope, payload, err := splitFrames(frames)
	if err != nil {
		s.set.logger.Printf("drop: %v", err)
		return
	}
	ev, err := unmarshalEvent(payload, s.set.limits.maxDepth)
	if err != nil {
		s.set.logger.Printf("drop: %v", err)
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
		s.set.logger.Printf("drop %s event: unknown response_to %q", ev.Name, ev.Header.ResponseTo)
		return
	}
	ch.ck.heardNow()
	switch ev.Name {
	case nameHeartbeat:
	case nameMore:
		var n []int
		if err := msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &n); err == nil && len(n) > 0 {
			ch.credit.grant(n[0])
		}
	default:
		s.set.logger.Printf("drop %s event on open channel %q", ev.Name, ev.Header.ResponseTo)
	}
}

// open starts a call: a new channel and a goroutine to run it.
func (s *Server) open(c *zconn, envelope [][]byte, ev *Event) {
	key := chanKey{c, ev.Header.MessageID}
	ctx, cancel := context.WithCancelCause(s.ctx)
	ch := &serverChan{
		srv:      s,
		key:      key,
		envelope: envelope,
		method:   ev.Name,
		ctx:      ctx,
		cancel:   cancel,
		credit:   newCredit(),
	}
	ch.ck.start(time.Now())
	s.mu.Lock()
	switch {
	case s.inShutdown:
		s.mu.Unlock()
		cancel(nil)
		s.set.logger.Printf("drop request %q: shutting down", key.id)
		return
	case s.chans[key] != nil:
		s.mu.Unlock()
		cancel(nil)
		s.set.logger.Printf("drop duplicate request %q", key.id)
		return
	case c.calls >= s.maxCalls:
		s.mu.Unlock()
		s.set.logger.Printf("refuse %s from %s: %d calls in flight", ev.Name, c.RemoteAddr(), c.calls)
		s.reply(ch, nameERR, errArgs(&RemoteError{Name: "RuntimeError",
			Message: fmt.Sprintf("too many calls in flight on one connection (limit %d)", s.maxCalls)}))
		cancel(nil)
		return
	}
	s.chans[key] = ch
	s.calls++
	c.calls++
	s.mu.Unlock()
	go s.handle(ch, ev)
}

// closeChan forgets a channel and cancels its call.
func (s *Server) closeChan(ch *serverChan) {
	s.mu.Lock()
	if s.chans[ch.key] == ch {
		delete(s.chans, ch.key)
	}
	s.mu.Unlock()
	ch.cancel(nil)
}

// handle runs one call and answers it: OK, ERR, or a stream.
func (s *Server) handle(ch *serverChan, ev *Event) {
	defer func() {
		s.closeChan(ch)
		s.mu.Lock()
		s.calls--
		ch.key.conn.calls--
		s.mu.Unlock()
	}()
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

// reply sends the event that ends the call. A result msgpack cannot
// encode becomes an ERR instead, so the caller still gets an answer.
func (s *Server) reply(ch *serverChan, name string, args any) {
	err := s.emit(ch, name, args, true)
	var enc *encodeError
	if errors.As(err, &enc) {
		err = s.emit(ch, nameERR, errArgs(&RemoteError{Name: "TypeError", Message: enc.Error()}), true)
	}
	if err != nil && ch.ctx.Err() == nil {
		s.set.logger.Printf("reply to %s: %v", ch.method, err)
	}
}

// An encodeError is a result msgpack could not encode.
type encodeError struct{ err error }

func (e *encodeError) Error() string { return e.err.Error() }

// emit waits for one credit, then sends a counted event.
func (s *Server) emit(ch *serverChan, name string, args any, final bool) error {
	if err := ch.credit.take(ch.ctx); err != nil {
		return err
	}
	ev := &Event{
		Header: Header{MessageID: s.ids.next(), ResponseTo: ch.key.id},
		Name:   name,
		Args:   args,
	}
	payload, err := MarshalEvent(ev)
	if err != nil {
		ch.credit.giveBack()
		return &encodeError{err}
	}
	ch.sendMu.Lock()
	defer ch.sendMu.Unlock()
	ch.finished = final
	ch.ck.sentNow()
	return ch.sendPayload(payload)
}

// sendPayload sends envelope…, "", payload on the call's connection.
// If the client is gone, so is the reply.
func (ch *serverChan) sendPayload(payload []byte) error {
	if len(ch.envelope) == 0 {
		return ch.key.conn.send([]byte{}, payload)
	}
	frames := make([][]byte, 0, len(ch.envelope)+2)
	frames = append(frames, ch.envelope...)
	frames = append(frames, []byte{}, payload)
	return ch.key.conn.send(frames...)
}

// errArgs is the ERR layout of protocol v3:
// [name, message, traceback or nil].
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

// clock, beat and lost make a serverChan a [beater].
func (ch *serverChan) clock() *clock { return &ch.ck }

// beat sends _zpc_hb [0], unless the call has already answered.
func (ch *serverChan) beat() {
	payload, err := MarshalEvent(&Event{
		Header: Header{MessageID: ch.srv.ids.next(), ResponseTo: ch.key.id},
		Name:   nameHeartbeat,
		Args:   []any{0},
	})
	if err != nil {
		return
	}
	ch.sendMu.Lock()
	defer ch.sendMu.Unlock()
	if ch.finished {
		return
	}
	ch.ck.sentNow()
	_ = ch.sendPayload(payload)
}

// lost cancels a call whose client went silent, with a
// [LostRemoteError] as the cause its method can read.
func (ch *serverChan) lost(silent time.Duration) {
	ch.srv.set.logger.Printf("lost remote on %s after %s", ch.method, silent.Round(time.Millisecond))
	ch.cancel(&LostRemoteError{Method: ch.method, Silent: silent})
	ch.srv.closeChan(ch)
}
