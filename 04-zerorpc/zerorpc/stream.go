// The streaming pattern: a method returning a receive channel or an
// iterator answers with STREAM events, one item each and one credit
// each, then STREAM_DONE (or ERR). The server side sends them; the
// client side yields them as they arrive, granting credit as it reads.

package zerorpc

import (
	"context"
	"fmt"
	"iter"
	"reflect"

	"github.com/vmihailenco/msgpack/v5"
)

// stream sends each item as a STREAM event, one credit each, then
// STREAM_DONE (or ERR if the iterator fails).
func (s *Server) stream(ch *serverChan, m *method, v reflect.Value) {
	var sendErr error
	err := eachItem(ch.ctx, m.stream, v, func(item any) bool {
		sendErr = s.emit(ch, nameStream, item, false)
		return sendErr == nil
	})
	if ch.ctx.Err() != nil || sendErr != nil {
		if sendErr != nil && ch.ctx.Err() == nil {
			s.set.logger.Printf("stream %s: %v", m.name, sendErr)
		}
		return
	}
	if err != nil {
		s.reply(ch, nameERR, errArgs(err))
		return
	}
	s.reply(ch, nameStreamDone, nil)
}

// Stream calls a streaming method and yields its items as they
// arrive; a plain method yields its one result. Stop early with break:
// the channel is closed, and the server, hearing no more heartbeats,
// gives up.
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

// Invoke is what Python's client(method, *args) does: it returns the
// value of a plain method, or, when the server answers with a stream,
// items, which must then be ranged over (to the end or to a break) to
// close the call. Credit is granted as Python does: 100 more when the
// second item is read, topped up when fewer than 50 remain. Only the
// first answer has a deadline, as in Python; after it, heartbeats tell
// whether the server is still there.
func (c *Client) Invoke(ctx context.Context, method string, args ...any) (value any, items iter.Seq2[any, error], err error) {
	ch, err := c.open(method, args)
	if err != nil {
		return nil, nil, err
	}
	ev, err := c.first(ctx, ch)
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

// items yields a stream that began with first.
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

// collect reads a stream that began with first into one msgpack array,
// for [Client.Call].
func (c *Client) collect(ctx context.Context, ch *clientChan, first *Event) (msgpack.RawMessage, error) {
	var items []msgpack.RawMessage
	ev := first
	for ev.Name == nameStream {
		items = append(items, ev.Args.(msgpack.RawMessage))
		var err error
		if ev, err = c.recv(ctx, ch, nil); err != nil {
			return nil, err
		}
	}
	if ev.Name == nameERR {
		return nil, remoteError(ev)
	}
	return msgpack.Marshal(items)
}
