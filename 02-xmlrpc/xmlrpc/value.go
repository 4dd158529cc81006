// XML-RPC has eight value types, plus the <nil/> extension that
// Python sends when allow_none=True. This file fixes which Go type
// each one becomes when decoded, and turns Go values into <value>
// elements when encoding.

package xmlrpc

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"math"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Decoded values are plain Go values, one Go type per XML-RPC type,
// the same way Python's xmlrpc.client maps them to int, bool,
// str, …:
//
//	<int>, <i4>, <i8>      int
//	<boolean>              bool
//	<string>, untyped      string
//	<double>               float64
//	<dateTime.iso8601>     time.Time (UTC: the wire has no time zone)
//	<base64>               []byte
//	<struct>               map[string]any
//	<array>                []any
//	<nil/>                 nil
//
// [Unmarshal] copies such a value into a typed Go variable.

// TimeLayout is the dateTime.iso8601 layout Python writes:
// 19980717T14:08:55, no time zone and no fractions.
const TimeLayout = "20060102T15:04:05"

// maxDepth bounds how deeply arrays and structs may nest, both
// when encoding and decoding, so a hostile document cannot make us
// recurse without end.
const maxDepth = 100

var (
	timeType  = reflect.TypeFor[time.Time]()
	bytesType = reflect.TypeFor[[]byte]()
)

// appendValue writes v as one <value> element. It fails, rather
// than sending something the peer would misread, for values XML-RPC
// cannot carry: ints beyond 32 bits, NaN and infinities, strings
// with characters XML 1.0 forbids, maps with non-string keys.
func appendValue(buf *bytes.Buffer, v any) error {
	return encodeValue(buf, reflect.ValueOf(v), 0)
}

func encodeValue(buf *bytes.Buffer, v reflect.Value, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("value nested deeper than %d levels", maxDepth)
	}
	// Pointers and interfaces are followed; a nil one is <nil/>,
	// as Python's None is.
	for v.IsValid() && (v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) {
		if v.IsNil() {
			break
		}
		v = v.Elem()
	}
	if !v.IsValid() || ((v.Kind() == reflect.Pointer || v.Kind() == reflect.Interface) && v.IsNil()) {
		buf.WriteString("<value><nil/></value>")
		return nil
	}

	// time.Time and []byte are checked before their kinds
	// (struct, slice), because they have their own wire types.
	switch v.Type() {
	case timeType:
		t := v.Interface().(time.Time)
		if t.Year() < 0 || t.Year() > 9999 {
			return fmt.Errorf("time %v: year outside 0000..9999", t)
		}
		buf.WriteString("<value><dateTime.iso8601>")
		buf.WriteString(t.Format(TimeLayout))
		buf.WriteString("</dateTime.iso8601></value>")
		return nil
	case bytesType:
		if v.IsNil() {
			buf.WriteString("<value><nil/></value>")
			return nil
		}
		buf.WriteString("<value><base64>")
		buf.WriteString(base64.StdEncoding.EncodeToString(v.Bytes()))
		buf.WriteString("</base64></value>")
		return nil
	}

	switch v.Kind() {
	case reflect.Bool:
		b := "0"
		if v.Bool() {
			b = "1"
		}
		buf.WriteString("<value><boolean>" + b + "</boolean></value>")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return encodeInt(buf, v.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if v.Uint() > math.MaxInt32 {
			return fmt.Errorf("int %d exceeds XML-RPC limits (32 bits)", v.Uint())
		}
		return encodeInt(buf, int64(v.Uint()))
	case reflect.Float32, reflect.Float64:
		return encodeDouble(buf, v.Float())
	case reflect.String:
		buf.WriteString("<value><string>")
		if err := escapeString(buf, v.String()); err != nil {
			return err
		}
		buf.WriteString("</string></value>")
	case reflect.Slice, reflect.Array:
		return encodeArray(buf, v, depth)
	case reflect.Map:
		return encodeMap(buf, v, depth)
	case reflect.Struct:
		return encodeStruct(buf, v, depth)
	default:
		return fmt.Errorf("cannot encode %s as an XML-RPC value", v.Type())
	}
	return nil
}

// encodeInt enforces the spec's 32-bit <int>; Python raises
// OverflowError: int exceeds XML-RPC limits in the same case.
func encodeInt(buf *bytes.Buffer, n int64) error {
	if n > math.MaxInt32 || n < math.MinInt32 {
		return fmt.Errorf("int %d exceeds XML-RPC limits (32 bits)", n)
	}
	buf.WriteString("<value><int>")
	buf.WriteString(strconv.FormatInt(n, 10))
	buf.WriteString("</int></value>")
	return nil
}

// encodeDouble writes the shortest text that reads back as the same
// float64, with a .0 added to whole numbers as Python's repr does.
func encodeDouble(buf *bytes.Buffer, f float64) error {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return fmt.Errorf("double %v cannot be sent: XML-RPC has no NaN or infinity", f)
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	buf.WriteString("<value><double>" + s + "</double></value>")
	return nil
}

// encodeArray writes a slice or an array as an <array>; a nil slice
// is <nil/>, as Python's None is.
func encodeArray(buf *bytes.Buffer, v reflect.Value, depth int) error {
	if v.Kind() == reflect.Slice && v.IsNil() {
		buf.WriteString("<value><nil/></value>")
		return nil
	}
	buf.WriteString("<value><array><data>\n")
	for i := range v.Len() {
		if err := encodeValue(buf, v.Index(i), depth+1); err != nil {
			return fmt.Errorf("[%d]: %w", i, err)
		}
		buf.WriteByte('\n')
	}
	buf.WriteString("</data></array></value>")
	return nil
}

// encodeMap writes a map with string keys as a <struct>, in
// sorted key order so the same map always gives the same bytes.
func encodeMap(buf *bytes.Buffer, v reflect.Value, depth int) error {
	if v.Type().Key().Kind() != reflect.String {
		return fmt.Errorf("cannot encode %s: struct member names must be strings", v.Type())
	}
	if v.IsNil() {
		buf.WriteString("<value><nil/></value>")
		return nil
	}
	keys := v.MapKeys()
	sort.Slice(keys, func(i, j int) bool { return keys[i].String() < keys[j].String() })
	buf.WriteString("<value><struct>\n")
	for _, k := range keys {
		if err := encodeMember(buf, k.String(), v.MapIndex(k), depth); err != nil {
			return err
		}
	}
	buf.WriteString("</struct></value>")
	return nil
}

// encodeStruct writes a Go struct's exported fields as members,
// named by an xmlrpc:"name" tag or else by the field name;
// xmlrpc:"-" skips a field and ,omitempty skips a zero one.
func encodeStruct(buf *bytes.Buffer, v reflect.Value, depth int) error {
	buf.WriteString("<value><struct>\n")
	for _, f := range structFields(v.Type()) {
		fv := v.FieldByIndex(f.index)
		if f.omitEmpty && fv.IsZero() {
			continue
		}
		if err := encodeMember(buf, f.name, fv, depth); err != nil {
			return err
		}
	}
	buf.WriteString("</struct></value>")
	return nil
}

func encodeMember(buf *bytes.Buffer, name string, v reflect.Value, depth int) error {
	buf.WriteString("<member>\n<name>")
	if err := escapeString(buf, name); err != nil {
		return fmt.Errorf("member name: %w", err)
	}
	buf.WriteString("</name>\n")
	if err := encodeValue(buf, v, depth+1); err != nil {
		return fmt.Errorf("member %q: %w", name, err)
	}
	buf.WriteString("\n</member>\n")
	return nil
}

// escapeString writes s as XML character data. XML 1.0 cannot
// carry most control characters (not even as &#0;), so a string
// holding one is an error: send such data as []byte (base64).
// A carriage return is written as &#13;, because an XML parser
// turns a literal CR LF into LF.
func escapeString(buf *bytes.Buffer, s string) error {
	for i, r := range s {
		switch {
		case r == utf8.RuneError && !strings.HasPrefix(s[i:], "\uFFFD"):
			return fmt.Errorf("string is not valid UTF-8 at byte %d", i)
		case r == '<':
			buf.WriteString("&lt;")
		case r == '>':
			buf.WriteString("&gt;")
		case r == '&':
			buf.WriteString("&amp;")
		case r == '\r':
			buf.WriteString("&#13;")
		case !isXMLChar(r):
			return fmt.Errorf("string holds %U, which XML 1.0 cannot carry; send it as []byte", r)
		default:
			buf.WriteRune(r)
		}
	}
	return nil
}

// isXMLChar is the XML 1.0 Char production.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// A field is one encodable field of a Go struct.
type field struct {
	name      string
	index     []int
	omitEmpty bool
}

// structFields lists the exported fields of t with their member
// names (embedded structs are not flattened; keep lesson structs flat).
func structFields(t reflect.Type) []field {
	var fields []field
	for i := range t.NumField() {
		sf := t.Field(i)
		if !sf.IsExported() {
			continue
		}
		tag := sf.Tag.Get("xmlrpc")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = sf.Name
		}
		fields = append(fields, field{name: name, index: sf.Index, omitEmpty: opts == "omitempty"})
	}
	return fields
}
