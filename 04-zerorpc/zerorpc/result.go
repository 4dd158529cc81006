// Reading what a server answers: OK's one result, ERR's exception, and
// msgpack values turned into plain Go ones.

package zerorpc

import (
	"bytes"
	"errors"
	"fmt"
	"math"

	"github.com/vmihailenco/msgpack/v5"
)

// firstArg unwraps OK's args, always a one-element array.
func firstArg(ev *Event) (msgpack.RawMessage, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(ev.Args.(msgpack.RawMessage)))
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 1 {
		return nil, errors.New("OK event without a result")
	}
	return dec.DecodeRaw()
}

// remoteError reads ERR's args: [name, message, traceback] in protocol
// v2 and later, [message] in v1.
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

// decodeAny decodes msgpack into plain Go values: every int as int64,
// bin as []byte, str as string. Python writes 1000 as a msgpack
// uint16 and -1000 as an int16: to Python, and to us, both are just
// ints.
func decodeAny(raw msgpack.RawMessage) (any, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(raw))
	v, err := dec.DecodeInterface()
	if err != nil {
		return nil, fmt.Errorf("decode result: %w", err)
	}
	return plainInts(v), nil
}

// plainInts turns every sized int in v into an int64 (a uint64 too,
// if it fits).
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
