// An event is the only thing zerorpc ever sends: one msgpack array
// [header, name, args]. This file turns events into bytes and back,
// exactly as zerorpc-python 0.6 does, so the bytes match.

package zerorpc

import (
	"bytes"
	"errors"
	"fmt"
	"sync"

	"github.com/vmihailenco/msgpack/v5"
	"github.com/vmihailenco/msgpack/v5/msgpcode"
)

// ProtocolVersion is the v every event carries. Without it Python
// falls back to protocol v1 (another ERR layout, passive heartbeats).
const ProtocolVersion = 3

// A MessageID names an event, and the first event's id names the
// whole channel. Python sends ids as msgpack bin, zerorpc-node as str;
// we remember which, because a reply must echo the id in the type it
// came in (Str false means bin).
type MessageID struct {
	Value string
	Str   bool
}

// IsZero reports an absent id (no response_to in the header).
func (id MessageID) IsZero() bool { return id.Value == "" }

func (id MessageID) String() string { return id.Value }

// A Header is the first item of an event. Its keys are written in
// the order Python writes them: message_id, v, then response_to on every event after the
// first of a channel.
type Header struct {
	MessageID  MessageID
	Version    int
	ResponseTo MessageID
}

// An Event is [header, name, args]. Name is the method for a
// request, or OK, ERR, STREAM, STREAM_DONE, _zpc_hb, _zpc_more.
// When decoded, Args holds the undecoded msgpack bytes as a
// [msgpack.RawMessage], so the receiver can decode them straight
// into the Go types it wants.
type Event struct {
	Header Header
	Name   string
	Args   any

	// NameIsBin is set when the name arrived as msgpack bin instead
	// of str; Python answers such a request with NameError.
	NameIsBin bool
}

// The names of the events the protocol itself uses.
const (
	nameOK         = "OK"
	nameERR        = "ERR"
	nameStream     = "STREAM"
	nameStreamDone = "STREAM_DONE"
	nameHeartbeat  = "_zpc_hb"
	nameMore       = "_zpc_more"
)

// ErrBadEvent wraps every decoding failure, so a receiver can tell
// "the peer sent garbage" (log it, drop it, keep serving) from other
// errors.
var ErrBadEvent = errors.New("zerorpc: bad event")

// encoders are reused: a [msgpack.Encoder] is not free to build.
type encoder struct {
	buf bytes.Buffer
	enc *msgpack.Encoder
}

var encoders = sync.Pool{New: func() any {
	e := &encoder{}
	e.enc = msgpack.NewEncoder(&e.buf)
	return e
}}

// MarshalEvent returns the payload frame for ev. Ints are written
// in their shortest form and map keys sorted, like Python's msgpack,
// so a Go peer and a Python peer produce the same bytes.
func MarshalEvent(ev *Event) ([]byte, error) {
	e := encoders.Get().(*encoder)
	defer encoders.Put(e)
	e.buf.Reset()
	e.enc.Reset(&e.buf)
	e.enc.UseCompactInts(true)
	e.enc.SetSortMapKeys(true)
	if err := writeEvent(e.enc, ev); err != nil {
		return nil, fmt.Errorf("encode %s event: %w", ev.Name, err)
	}
	return bytes.Clone(e.buf.Bytes()), nil
}

func writeEvent(enc *msgpack.Encoder, ev *Event) error {
	if err := enc.EncodeArrayLen(3); err != nil {
		return err
	}
	// The header is written by hand, key by key, because its key
	// order is part of the bytes.
	n := 2
	if !ev.Header.ResponseTo.IsZero() {
		n = 3
	}
	if err := enc.EncodeMapLen(n); err != nil {
		return err
	}
	if err := enc.EncodeString("message_id"); err != nil {
		return err
	}
	if err := writeID(enc, ev.Header.MessageID); err != nil {
		return err
	}
	if err := enc.EncodeString("v"); err != nil {
		return err
	}
	if err := enc.EncodeInt(ProtocolVersion); err != nil {
		return err
	}
	if n == 3 {
		if err := enc.EncodeString("response_to"); err != nil {
			return err
		}
		if err := writeID(enc, ev.Header.ResponseTo); err != nil {
			return err
		}
	}
	if err := enc.EncodeString(ev.Name); err != nil {
		return err
	}
	return enc.Encode(ev.Args)
}

func writeID(enc *msgpack.Encoder, id MessageID) error {
	if id.Str {
		return enc.EncodeString(id.Value)
	}
	return enc.EncodeBytes([]byte(id.Value))
}

// UnmarshalEvent reads one payload frame. Anything that is not an
// event as Python would send it comes back as an error wrapping
// [ErrBadEvent]: not msgpack, not an array of three, a header that is
// not a map with str keys, an id that is neither bin nor str, a name
// that is neither str nor bin, or bytes left over.
func UnmarshalEvent(payload []byte) (*Event, error) {
	return unmarshalEvent(payload, DefaultMaxDepth)
}

// unmarshalEvent first checks the nesting of the whole payload
// without recursion (see depth.go): then every decoder after it, on
// the header, on skipped keys, on args, recurses a bounded number of
// times.
func unmarshalEvent(payload []byte, maxDepth int) (*Event, error) {
	if err := checkMsgpack(payload, maxDepth); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadEvent, err)
	}
	ev, err := readEvent(payload)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBadEvent, err)
	}
	return ev, nil
}

func readEvent(payload []byte) (*Event, error) {
	r := bytes.NewReader(payload)
	dec := msgpack.NewDecoder(r)
	n, err := dec.DecodeArrayLen()
	if err != nil {
		return nil, fmt.Errorf("not a msgpack array: %w", err)
	}
	if n != 3 {
		return nil, fmt.Errorf("array of %d items, want 3", n)
	}
	ev := &Event{}
	if err := readHeader(dec, &ev.Header); err != nil {
		return nil, err
	}
	c, err := dec.PeekCode()
	if err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	switch {
	case isStr(c):
		ev.Name, err = dec.DecodeString()
	case isBin(c):
		var b []byte
		b, err = dec.DecodeBytes()
		ev.Name, ev.NameIsBin = string(b), true
	default:
		return nil, fmt.Errorf("name has msgpack code %#x, want str", c)
	}
	if err != nil {
		return nil, fmt.Errorf("name: %w", err)
	}
	raw, err := dec.DecodeRaw()
	if err != nil {
		return nil, fmt.Errorf("args: %w", err)
	}
	ev.Args = raw
	if r.Len() != 0 {
		return nil, fmt.Errorf("%d bytes after the event", r.Len())
	}
	return ev, nil
}

func readHeader(dec *msgpack.Decoder, h *Header) error {
	n, err := dec.DecodeMapLen()
	if err != nil {
		return fmt.Errorf("header is not a map: %w", err)
	}
	for i := 0; i < n; i++ {
		c, err := dec.PeekCode()
		if err != nil {
			return fmt.Errorf("header key: %w", err)
		}
		if !isStr(c) {
			return fmt.Errorf("header key has msgpack code %#x, want str", c)
		}
		key, err := dec.DecodeString()
		if err != nil {
			return fmt.Errorf("header key: %w", err)
		}
		switch key {
		case "message_id":
			h.MessageID, err = readID(dec)
		case "response_to":
			h.ResponseTo, err = readID(dec)
		case "v":
			h.Version, err = readVersion(dec)
		default:
			// Middleware may add keys (a trace id, …): skip them.
			err = dec.Skip()
		}
		if err != nil {
			return fmt.Errorf("header %q: %w", key, err)
		}
	}
	if h.MessageID.IsZero() {
		return errors.New("header has no message_id")
	}
	return nil
}

func readID(dec *msgpack.Decoder) (MessageID, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return MessageID{}, err
	}
	switch {
	case isStr(c):
		s, err := dec.DecodeString()
		return MessageID{Value: s, Str: true}, err
	case isBin(c):
		b, err := dec.DecodeBytes()
		return MessageID{Value: string(b)}, err
	}
	return MessageID{}, fmt.Errorf("msgpack code %#x, want bin or str", c)
}

func readVersion(dec *msgpack.Decoder) (int, error) {
	c, err := dec.PeekCode()
	if err != nil {
		return 0, err
	}
	if !msgpcode.IsFixedNum(c) && (c < msgpcode.Uint8 || c > msgpcode.Int64) {
		return 0, fmt.Errorf("msgpack code %#x, want an int", c)
	}
	v, err := dec.DecodeInt64()
	return int(v), err
}

func isStr(c byte) bool {
	return msgpcode.IsFixedString(c) ||
		c == msgpcode.Str8 || c == msgpcode.Str16 || c == msgpcode.Str32
}

func isBin(c byte) bool {
	return c == msgpcode.Bin8 || c == msgpcode.Bin16 || c == msgpcode.Bin32
}
