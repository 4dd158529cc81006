package pyfmt

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"unicode/utf8"
)

// ErrTooDeep is what [JSON] returns for a value nested more than
// [MaxDepth] levels deep.
var ErrTooDeep = errors.New("pyfmt: value nested too deeply")

// JSON returns json.dumps(v) with Python's defaults: ", " and ": " as
// separators, keys of a map sorted and those of a [Dict] in order, every
// character outside printable ASCII escaped as \uXXXX, floats as repr()
// writes them, and NaN and Infinity allowed.
func JSON(v any) ([]byte, error) {
	var p Printer
	return p.AppendJSON(nil, v)
}

// AppendJSON appends json.dumps(v) to b; see [JSON].
func AppendJSON(b []byte, v any) ([]byte, error) {
	var p Printer
	return p.AppendJSON(b, v)
}

// JSON returns json.dumps(v); with SortKeys, json.dumps(v, sort_keys=True).
func (p *Printer) JSON(v any) ([]byte, error) {
	return p.AppendJSON(nil, v)
}

// AppendJSON appends json.dumps(v) to b, or returns an error for what
// Python's json cannot write either: a channel, a function, a map whose
// keys are not strings, numbers or bools, or a value nested more than
// [MaxDepth] levels deep.
func (p *Printer) AppendJSON(b []byte, v any) ([]byte, error) {
	w := jsonWriter{p: p, b: b}
	if err := w.value(v, 0); err != nil {
		return b, err
	}
	return w.b, nil
}

// ReformatJSON rewrites JSON text as json.dumps(json.loads(raw)) would:
// same values, keys in the order they came, Python's separators, escapes
// and numbers.
func ReformatJSON(raw []byte) ([]byte, error) {
	v, err := decodeOrdered(raw)
	if err != nil {
		return nil, fmt.Errorf("pyfmt: %w", err)
	}
	return JSON(v)
}

// AppendJSONString appends s as json.dumps writes a str: in double
// quotes, with \", \\, \b, \f, \n, \r and \t, and \uXXXX (lower-case hex)
// for every other character outside the printable ASCII range, UTF-16
// surrogate pairs above U+FFFF. It is the hot path of writing a message,
// so it is written out byte by byte.
func AppendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			i += size
			if r > 0xffff {
				r -= 0x10000
				b = appendU4(b, 0xd800+(r>>10))
				b = appendU4(b, 0xdc00+(r&0x3ff))
			} else {
				b = appendU4(b, r)
			}
			continue
		}
		i++
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c == '\n':
			b = append(b, '\\', 'n')
		case c == '\r':
			b = append(b, '\\', 'r')
		case c == '\t':
			b = append(b, '\\', 't')
		case c == '\b':
			b = append(b, '\\', 'b')
		case c == '\f':
			b = append(b, '\\', 'f')
		case c < 0x20 || c == 0x7f:
			b = appendU4(b, rune(c))
		default:
			b = append(b, c)
		}
	}
	return append(b, '"')
}

func appendU4(b []byte, r rune) []byte {
	b = append(b, '\\', 'u')
	return appendHex(b, uint32(r), 4)
}

type jsonWriter struct {
	p *Printer
	b []byte
}

func (w *jsonWriter) value(v any, depth int) error {
	if depth > MaxDepth {
		return ErrTooDeep
	}
	switch v := v.(type) {
	case nil:
		w.b = append(w.b, "null"...)
	case bool:
		w.b = strconv.AppendBool(w.b, v)
	case string:
		w.b = AppendJSONString(w.b, v)
	case []byte:
		w.b = AppendJSONString(w.b, string(v))
	case int:
		w.b = strconv.AppendInt(w.b, int64(v), 10)
	case int64:
		w.b = strconv.AppendInt(w.b, v, 10)
	case uint64:
		w.b = strconv.AppendUint(w.b, v, 10)
	case float64:
		w.b = appendJSONFloat(w.b, v)
	case json.Number:
		return w.number(v)
	case json.RawMessage:
		return w.decoded(v, depth)
	case Dumped:
		if w.p.SortKeys {
			return w.decoded(v, depth)
		}
		w.b = append(w.b, v...)
	case []any:
		return w.list(len(v), func(i int) any { return v[i] }, depth)
	case Tuple:
		return w.list(len(v), func(i int) any { return v[i] }, depth)
	case Dict:
		if w.p.SortKeys {
			v = sortedDict(v)
		}
		return w.strDict(len(v), func(i int) (string, any) { return v[i].Key, v[i].Value }, depth)
	case map[string]any:
		// The usual map, written without reflection: keys sorted, as
		// for any map.
		keys := slices.Sorted(maps.Keys(v))
		return w.strDict(len(keys), func(i int) (string, any) { return keys[i], v[keys[i]] }, depth)
	default:
		return w.reflected(reflect.ValueOf(v), depth)
	}
	return nil
}

func (w *jsonWriter) reflected(rv reflect.Value, depth int) error {
	if _, ok := rv.Interface().(json.Marshaler); ok {
		return w.marshaled(rv.Interface(), depth)
	}
	switch rv.Kind() {
	case reflect.Bool:
		w.b = strconv.AppendBool(w.b, rv.Bool())
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.b = strconv.AppendInt(w.b, rv.Int(), 10)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.b = strconv.AppendUint(w.b, rv.Uint(), 10)
	case reflect.Float32, reflect.Float64:
		w.b = appendJSONFloat(w.b, rv.Float())
	case reflect.String:
		w.b = AppendJSONString(w.b, rv.String())
	case reflect.Slice, reflect.Array:
		if rv.Kind() == reflect.Slice && rv.IsNil() {
			w.b = append(w.b, "null"...)
			return nil
		}
		if rv.Type().Elem().Kind() == reflect.Uint8 {
			w.b = AppendJSONString(w.b, string(byteSlice(rv)))
			return nil
		}
		return w.list(rv.Len(), func(i int) any { return rv.Index(i).Interface() }, depth)
	case reflect.Map:
		if rv.IsNil() {
			w.b = append(w.b, "null"...)
			return nil
		}
		return w.dict(sortedMap(rv), depth)
	case reflect.Pointer, reflect.Interface:
		if rv.IsNil() {
			w.b = append(w.b, "null"...)
			return nil
		}
		return w.value(rv.Elem().Interface(), depth+1)
	case reflect.Struct:
		return w.marshaled(rv.Interface(), depth)
	default:
		return fmt.Errorf("pyfmt: Object of type %s is not JSON serializable", rv.Type())
	}
	return nil
}

// marshaled writes what encoding/json makes of v (struct tags,
// MarshalJSON), read back and written again in Python's form.
func (w *jsonWriter) marshaled(v any, depth int) error {
	raw, err := marshalGo(v)
	if err != nil {
		return fmt.Errorf("pyfmt: %w", err)
	}
	// A small struct of names and integers, the usual payload, only
	// needs the spaces json.dumps puts after ',' and ':'.
	if !w.p.SortKeys && plainCompact(raw, MaxDepth-depth) {
		w.b = appendSpaced(w.b, raw)
		return nil
	}
	return w.decoded(raw, depth)
}

// plainCompact says whether raw, compact JSON as encoding/json writes
// it, is json.dumps's form but for the spaces after ',' and ':': every
// string printable ASCII with no escape, every number an integer other
// than -0, and no deeper than maxDepth.
func plainCompact(raw []byte, maxDepth int) bool {
	depth := 0
	for i := 0; i < len(raw); i++ {
		switch c := raw[i]; {
		case c == '"':
			for i++; i < len(raw) && raw[i] != '"'; i++ {
				if c := raw[i]; c < 0x20 || c >= 0x7f || c == '\\' {
					return false
				}
			}
		case c == '{' || c == '[':
			if depth++; depth > maxDepth {
				return false
			}
		case c == '}' || c == ']':
			depth--
		case c == ',' || c == ':' || c >= '0' && c <= '9':
		case c == '-':
			if i+1 < len(raw) && raw[i+1] == '0' {
				return false
			}
		case c == 't' || c == 'f' || c == 'n': // true, false, null
			for i+1 < len(raw) && raw[i+1] >= 'a' && raw[i+1] <= 'z' {
				i++
			}
		default: // '.', 'e', 'E', '+': a float, which Python writes its own way
			return false
		}
	}
	return true
}

// appendSpaced appends raw, checked by [plainCompact], with a space after
// each ',' and ':' outside strings.
func appendSpaced(b, raw []byte) []byte {
	inString := false
	for _, c := range raw {
		b = append(b, c)
		switch {
		case c == '"':
			inString = !inString
		case !inString && (c == ',' || c == ':'):
			b = append(b, ' ')
		}
	}
	return b
}

func (w *jsonWriter) decoded(raw []byte, depth int) error {
	// A reply's result is most often one small scalar (an int, a name)
	// already in the form json.dumps writes: copy it rather than read it
	// token by token and write it again.
	if samePython(raw) {
		w.b = append(w.b, raw...)
		return nil
	}
	v, err := decodeOrdered(raw)
	if err != nil {
		return fmt.Errorf("pyfmt: %w", err)
	}
	return w.value(v, depth+1)
}

func (w *jsonWriter) number(n json.Number) error {
	v, err := parseNumber(n)
	if err != nil {
		return fmt.Errorf("pyfmt: %w", err)
	}
	switch v := v.(type) {
	case float64:
		w.b = appendJSONFloat(w.b, v)
	case string:
		w.b = append(w.b, v...)
	}
	return nil
}

func (w *jsonWriter) list(n int, at func(int) any, depth int) error {
	w.b = append(w.b, '[')
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		if err := w.value(at(i), depth+1); err != nil {
			return err
		}
	}
	w.b = append(w.b, ']')
	return nil
}

// strDict writes a dict whose n keys are strings, item i from at(i).
func (w *jsonWriter) strDict(n int, at func(int) (string, any), depth int) error {
	w.b = append(w.b, '{')
	for i := range n {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		k, v := at(i)
		w.b = AppendJSONString(w.b, k)
		w.b = append(w.b, ": "...)
		if err := w.value(v, depth+1); err != nil {
			return err
		}
	}
	w.b = append(w.b, '}')
	return nil
}

func (w *jsonWriter) dict(items []anyItem, depth int) error {
	w.b = append(w.b, '{')
	for i, it := range items {
		if i > 0 {
			w.b = append(w.b, ", "...)
		}
		if err := w.key(it.key); err != nil {
			return err
		}
		w.b = append(w.b, ": "...)
		if err := w.value(it.value, depth+1); err != nil {
			return err
		}
	}
	w.b = append(w.b, '}')
	return nil
}

// key writes a dict key as json.dumps does: a str as it is, a number or
// bool as its JSON text in quotes.
func (w *jsonWriter) key(k any) error {
	if k == nil {
		w.b = append(w.b, `"null"`...)
		return nil
	}
	rv := reflect.ValueOf(k)
	switch rv.Kind() {
	case reflect.String:
		w.b = AppendJSONString(w.b, rv.String())
	case reflect.Bool:
		w.b = append(w.b, '"')
		w.b = strconv.AppendBool(w.b, rv.Bool())
		w.b = append(w.b, '"')
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		w.b = append(w.b, '"')
		w.b = strconv.AppendInt(w.b, rv.Int(), 10)
		w.b = append(w.b, '"')
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		w.b = append(w.b, '"')
		w.b = strconv.AppendUint(w.b, rv.Uint(), 10)
		w.b = append(w.b, '"')
	case reflect.Float32, reflect.Float64:
		w.b = append(w.b, '"')
		w.b = appendJSONFloat(w.b, rv.Float())
		w.b = append(w.b, '"')
	default:
		return fmt.Errorf("pyfmt: keys must be str, int, float, bool or None, not %s", rv.Type())
	}
	return nil
}

// appendJSONFloat writes a float as json.dumps does: its repr, and
// NaN, Infinity and -Infinity, which JSON itself does not allow but
// Python writes by default.
func appendJSONFloat(b []byte, f float64) []byte {
	switch {
	case math.IsInf(f, 1):
		return append(b, "Infinity"...)
	case math.IsInf(f, -1):
		return append(b, "-Infinity"...)
	case math.IsNaN(f):
		return append(b, "NaN"...)
	}
	return appendFloat(b, f)
}

// samePython says whether raw is one JSON scalar that json.dumps writes
// byte for byte as it is: true, false, null, an integer without a sign
// of zero, or a string of printable ASCII without quotes or backslashes.
func samePython(raw []byte) bool {
	switch string(raw) {
	case "true", "false", "null":
		return true
	case "", "-", "-0":
		return false
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) < 2 || raw[len(raw)-1] != '"' {
			return false
		}
		for _, c := range raw[1 : len(raw)-1] {
			if c < 0x20 || c >= 0x7f || c == '"' || c == '\\' {
				return false
			}
		}
		return true
	case c == '-' || c >= '0' && c <= '9':
		digits := raw
		if c == '-' {
			digits = raw[1:]
		}
		if len(digits) > 1 && digits[0] == '0' {
			return false
		}
		for _, c := range digits {
			if c < '0' || c > '9' {
				return false
			}
		}
		return true
	}
	return false
}
