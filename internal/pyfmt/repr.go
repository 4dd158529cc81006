package pyfmt

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
)

// MaxDepth is how deeply values may nest. Deeper values print as "..."
// in a repr, as Python's repr of a list that contains itself does, and
// make [JSON] fail: a value nested that deeply is a cycle or an attack,
// not data.
const MaxDepth = 1000

// A Tuple prints as a Python tuple: (1, 2), and (1,) for one element.
// In JSON it is a list, as json.dumps writes a tuple.
type Tuple []any

// Dumped is JSON text already in the form [JSON] writes, such as its own
// output: [JSON] copies it as it is instead of reading it and writing it
// again (with SortKeys it is read, so its keys get sorted).
type Dumped []byte

// A Dict is a Python dict whose keys keep the order they are given in,
// as a dict keeps the order of insertion. A message built as a Dict
// reads field for field like the one the Python peer builds. A key that
// appears twice is written twice; build a Dict without duplicates.
type Dict []Item

// An Item is one key and its value in a [Dict].
type Item struct {
	Key   string
	Value any
}

// Printer formats values with options. The zero Printer is what [Repr]
// and [JSON] use.
type Printer struct {
	// SortKeys sorts the keys of every [Dict] too, as pprint does for a
	// repr and json.dumps(sort_keys=True) does for JSON. A Go map's keys
	// are always sorted: a map has no order of its own.
	SortKeys bool

	// Custom, when set, is asked first about every non-nil value Repr
	// meets, nested ones included. It returns the text to print and
	// true, or false to let the printer go on as usual. A lesson uses it
	// for values only it knows, such as an XML-RPC DateTime decoded into
	// a time.Time. JSON does not use it.
	Custom func(v any) (repr string, ok bool)
}

// Repr returns what Python's repr() prints for the value v decodes to.
func Repr(v any) string {
	var p Printer
	return p.Repr(v)
}

// Repr returns what Python's repr() prints for the value v decodes to.
func (p *Printer) Repr(v any) string {
	w := reprWriter{p: p}
	w.value(v, 0)
	return string(w.b)
}

// Str returns repr(s) for a Python str.
func Str(s string) string { return string(appendStr(nil, s)) }

// Bytes returns repr(b) for a Python bytes object.
func Bytes(b []byte) string { return string(appendBytes(nil, b)) }

// Float returns repr(f): the shortest digits that read back as f, in
// positional form (with at least one digit after the point) when
// 1e-4 <= |f| < 1e16, else in exponent form ("1e+16", "1.5e-05"); and
// "inf", "-inf" or "nan".
func Float(f float64) string { return string(appendFloat(nil, f)) }

type reprWriter struct {
	p *Printer
	b []byte
}

func (w *reprWriter) value(v any, depth int) {
	if depth > MaxDepth {
		w.b = append(w.b, "..."...)
		return
	}
	if v != nil && w.p.Custom != nil {
		if s, ok := w.p.Custom(v); ok {
			w.b = append(w.b, s...)
			return
		}
	}
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, "None"...)
	case bool:
		w.b = appendBool(w.b, v)
	case string:
		w.b = appendStr(w.b, v)
	case []byte:
		w.b = appendBytes(w.b, v)
	case int:
		w.b = strconv.AppendInt(w.b, int64(v), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, v, 10)
	case uint64:
		w.b = strconv.AppendUint(w.b, v, 10)
	case float64:
		w.b = appendFloat(w.b, v)
	case json.Number:
		w.number(v)
	case json.RawMessage:
		w.decoded(v, depth)
	case []any:
		w.list('[', ']', len(v), func(i int) any { return v[i] }, depth)
	case Tuple:
		w.list('(', ')', len(v), func(i int) any { return v[i] }, depth)
	case map[string]any:
		w.dict(sortedMap(reflect.ValueOf(v)), depth)
	case Dict:
		if w.p.SortKeys {
			v = sortedDict(v)
		}
		w.dict(dictItems(v), depth)
	default:
		w.reflected(reflect.ValueOf(v), depth)
	}
}

// reflected handles every other Go type by its kind, so that named
// types (type Priority string) and other widths (int32, float32) print
// as the Python value they stand for.
func (w *reprWriter) reflected(rv reflect.Value, depth int) {
	if _, ok := rv.Interface().(json.Marshaler); ok {
		w.marshaled(rv.Interface(), depth)
		return
	}
	switch rv.Kind() {
	case reflect.Bool:
		w.b = appendBool(w.b, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.b = strconv.AppendInt(w.b, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.b = strconv.AppendUint(w.b, rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		w.b = appendFloat(w.b, rv.Float())
	case reflect.String:
		w.b = appendStr(w.b, rv.String())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			w.b = append(w.b, "None"...)
			return
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			w.b = appendBytes(w.b, byteSlice(rv))
			return
		}
		w.list('[', ']', rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map:
		if rv.IsNil() {
			w.b = append(w.b, "None"...)
			return
		}
		w.dict(sortedMap(rv), depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			w.b = append(w.b, "None"...)
			return
		}
		w.value(rv.Elem().Interface(), depth+1)
	case reflect.Struct:
		w.marshaled(rv.Interface(), depth)
	default:
		// Channels and functions have no Python counterpart.
		w.b = fmt.Appendf(w.b, "<%s>", rv.Type())
	}
}

// marshaled prints what encoding/json makes of v, read back in order.
func (w *reprWriter) marshaled(v any, depth int) {
	raw, err := marshalGo(v)
	if err != nil {
		w.b = fmt.Appendf(w.b, "<%T: %v>", v, err)
		return
	}
	w.decoded(raw, depth)
}

// decoded prints JSON text as the values json.loads makes of it.
func (w *reprWriter) decoded(raw []byte, depth int) {
	v, err := decodeOrdered(raw)
	if err != nil {
		w.b = fmt.Appendf(w.b, "<invalid JSON: %v>", err)
		return
	}
	w.value(v, depth+1)
}

func (w *reprWriter) number(n json.Number) {
	v, err := parseNumber(n)
	if err != nil {
		w.b = appendStr(w.b, string(n))
		return
	}
	switch v := v.(type) {
	case float64:
		w.b = appendFloat(w.b, v)
	case string:
		w.b = append(w.b, v...)
	}
}

func (w *reprWriter) list(open, close byte, n int, at func(int) any, depth int) {
	w.b = append(w.b, open)
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		w.value(at(i), depth+1)
	}
	if open == '(' && n == 1 {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, close)
}

func (w *reprWriter) dict(items []anyItem, depth int) {
	w.b = append(w.b, '{')
	for i, it := range items {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		w.value(it.key, depth+1)
		w.b = append(w.b, ": "...)
		w.value(it.value, depth+1)
	}
	w.b = append(w.b, '}')
}

func appendBool(b []byte, v bool) []byte {
	if v {
		return append(b, "True"...)
	}
	return append(b, "False"...)
}

func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	case math.IsNaN(f):
		return append(b, "nan"...)
	}
	if abs := math.Abs(f); abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		return strconv.AppendFloat(b, f, 'e', -1, 64)
	}
	start := len(b)
	b = strconv.AppendFloat(b, f, 'f', -1, 64)
	if !strings.Contains(string(b[start:]), ".") {
		b = append(b, ".0"...)
	}
	return b
}

const hexDigits = "0123456789abcdef"

// appendStr writes a str's repr: quoted with ' unless the text holds a '
// and no ", backslash escapes for the quote, the backslash, \t, \n and
// \r, \xhh for other ASCII controls, and \xhh, \uhhhh or \Uhhhhhhhh for
// every character Python does not print (see [printable]).
func appendStr(b []byte, s string) []byte {
	quote := byte('\'')
	if strings.IndexByte(s, '\'') >= 0 && strings.IndexByte(s, '"') < 0 {
		quote = '"'
	}
	b = append(b, quote)
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			b = appendASCII(b, c, quote)
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case printable(r):
			b = utf8.AppendRune(b, r)
		case r <= 0xff:
			b = append(b, '\\', 'x', hexDigits[r>>4], hexDigits[r&0xf])
		case r <= 0xffff:
			b = append(b, '\\', 'u')
			b = appendHex(b, uint32(r), 4)
		default:
			b = append(b, '\\', 'U')
			b = appendHex(b, uint32(r), 8)
		}
	}
	return append(b, quote)
}

// appendBytes writes a bytes repr: b'…' with the same quote rule as a
// str, and every byte outside printable ASCII as \xhh.
func appendBytes(b []byte, p []byte) []byte {
	quote := byte('\'')
	if strings.IndexByte(string(p), '\'') >= 0 && strings.IndexByte(string(p), '"') < 0 {
		quote = '"'
	}
	b = append(b, 'b', quote)
	for _, c := range p {
		if c < utf8.RuneSelf {
			b = appendASCII(b, c, quote)
			continue
		}
		b = append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, quote)
}

// appendASCII writes one ASCII character of a str or bytes repr.
func appendASCII(b []byte, c, quote byte) []byte {
	switch {
	case c == quote || c == '\\':
		return append(b, '\\', c)
	case c == '\t':
		return append(b, '\\', 't')
	case c == '\n':
		return append(b, '\\', 'n')
	case c == '\r':
		return append(b, '\\', 'r')
	case c < 0x20 || c == 0x7f:
		return append(b, '\\', 'x', hexDigits[c>>4], hexDigits[c&0xf])
	}
	return append(b, c)
}

func appendHex(b []byte, v uint32, digits int) []byte {
	for shift := 4 * (digits - 1); shift >= 0; shift -= 4 {
		b = append(b, hexDigits[v>>uint(shift)&0xf])
	}
	return b
}

func byteSlice(rv reflect.Value) []byte {
	if rv.Kind() == reflect.Slice {
		return rv.Bytes()
	}
	p := make([]byte, rv.Len())
	for i := range p {
		p[i] = byte(rv.Index(i).Uint())
	}
	return p
}
