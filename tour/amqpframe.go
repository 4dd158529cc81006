package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"sort"
	"strings"
)

// errShort is what a field reader says when a frame ends too soon.
var errShort = errors.New("amqp frame too short")

// A fields reads AMQP 0-9-1's field types from a method or header
// frame's payload; the first error sticks.
type fields struct {
	b   []byte
	err error
}

func (f *fields) take(n int) []byte {
	if f.err != nil || n < 0 || len(f.b) < n {
		f.err = errShort
		return nil
	}
	v := f.b[:n]
	f.b = f.b[n:]
	return v
}

func (f *fields) u8() uint8 {
	if b := f.take(1); b != nil {
		return b[0]
	}
	return 0
}

func (f *fields) u16() uint16 {
	if b := f.take(2); b != nil {
		return binary.BigEndian.Uint16(b)
	}
	return 0
}

func (f *fields) u32() uint32 {
	if b := f.take(4); b != nil {
		return binary.BigEndian.Uint32(b)
	}
	return 0
}

func (f *fields) u64() uint64 {
	if b := f.take(8); b != nil {
		return binary.BigEndian.Uint64(b)
	}
	return 0
}

func (f *fields) shortstr() string { return string(f.take(int(f.u8()))) }

func (f *fields) longstr() string { return string(f.take(int(f.u32()))) }

// table reads a field table and writes it as {key: value, …}.
func (f *fields) table() string {
	inner := &fields{b: f.take(int(f.u32()))}
	var parts []string
	for inner.err == nil && len(inner.b) > 0 {
		k := inner.shortstr()
		parts = append(parts, k+": "+inner.value(0))
	}
	if inner.err != nil && f.err == nil {
		f.err = inner.err
	}
	sort.Strings(parts)
	return "{" + strings.Join(parts, ", ") + "}"
}

// value reads one typed field value; depth bounds nested arrays.
func (f *fields) value(depth int) string {
	if depth > 8 {
		f.err = errors.New("amqp field nested too deep")
		return ""
	}
	switch t := f.u8(); t {
	case 't', 'b', 'B':
		return fmt.Sprint(f.u8())
	case 's', 'u':
		return fmt.Sprint(int16(f.u16()))
	case 'I', 'i':
		return fmt.Sprint(int32(f.u32()))
	case 'l', 'T':
		return fmt.Sprint(int64(f.u64()))
	case 'f':
		return fmt.Sprint(math.Float32frombits(f.u32()))
	case 'd':
		return fmt.Sprint(math.Float64frombits(f.u64()))
	case 'D':
		scale := f.u8()
		return fmt.Sprintf("%de-%d", int32(f.u32()), scale)
	case 'S', 'x':
		return fmt.Sprintf("%q", f.longstr())
	case 'F':
		return f.table()
	case 'A':
		inner := &fields{b: f.take(int(f.u32()))}
		var vs []string
		for inner.err == nil && len(inner.b) > 0 {
			vs = append(vs, inner.value(depth+1))
		}
		return "[" + strings.Join(vs, ", ") + "]"
	case 'V':
		return "void"
	default:
		f.err = fmt.Errorf("amqp field type %q unknown", t)
		return ""
	}
}

// propertyNames are the basic class's properties, in the order of their
// flag bits from the highest.
var propertyNames = []string{
	"content-type", "content-encoding", "headers", "delivery-mode", "priority",
	"correlation-id", "reply-to", "expiration", "message-id", "timestamp",
	"type", "user-id", "app-id", "cluster-id",
}

// properties reads a content header's property flags and the properties
// they announce.
func (f *fields) properties() map[string]string {
	flags := f.u16()
	for more := flags; more&1 != 0 && f.err == nil; {
		more = f.u16() // continuation words: no basic property lives there
	}
	props := map[string]string{}
	for i, name := range propertyNames {
		if flags&(1<<(15-i)) == 0 {
			continue
		}
		switch name {
		case "headers":
			props[name] = f.table()
		case "delivery-mode", "priority":
			props[name] = fmt.Sprint(f.u8())
		case "timestamp":
			props[name] = fmt.Sprint(f.u64())
		default:
			props[name] = f.shortstr()
		}
	}
	return props
}
