// A decoded value is an any (see value.go). [Unmarshal] copies it
// into a typed Go variable, checking types on the way, the way
// encoding/json fills a struct. The server uses the same code to
// turn a call's params into a Go method's arguments, which is how a
// wrong argument type becomes a clear fault instead of a crash.

package xmlrpc

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"time"
)

// TypeError reports a value that does not fit its Go destination.
// Path says where, e.g. [2].name.
type TypeError struct {
	Path string
	Got  string // the XML-RPC type that arrived
	Want string // the Go type it should have filled
}

func (e *TypeError) Error() string {
	where := ""
	if e.Path != "" {
		where = e.Path + ": "
	}
	return fmt.Sprintf("%scannot use %s as %s", where, e.Got, e.Want)
}

// Unmarshal stores the decoded value src in the variable dst
// points to. An int fills any Go integer type it fits in (and a float);
// a struct fills a map[string]T or a Go struct (members matched by
// xmlrpc tag or field name, unknown members ignored); nil zeroes
// pointers, slices, maps and interfaces.
func Unmarshal(src any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("xmlrpc: Unmarshal needs a non-nil pointer")
	}
	return assign(rv.Elem(), src, "", 0)
}

// assign stores src in dst. It handles what every kind shares (an
// interface takes any value, nil, pointers, the two types with wire
// types of their own) and leaves each kind to a function of its own.
// Decoded values nest at most maxDepth deep, but a caller may hand
// Unmarshal a value of its own making, even one that contains itself,
// so the depth is checked here too.
func assign(dst reflect.Value, src any, path string, depth int) error {
	if depth > maxDepth {
		return fmt.Errorf("%s: value nested deeper than %d levels", path, maxDepth)
	}
	switch {
	case dst.Kind() == reflect.Interface:
		return assignInterface(dst, src, path)
	case src == nil:
		switch dst.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			dst.SetZero()
			return nil
		}
		return mismatch(dst, src, path)
	case dst.Kind() == reflect.Pointer:
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assign(dst.Elem(), src, path, depth+1)
	case dst.Type() == timeType:
		return assignSame[time.Time](dst, src, path)
	case dst.Type() == bytesType:
		return assignSame[[]byte](dst, src, path)
	}

	switch dst.Kind() {
	case reflect.Bool:
		return assignSame[bool](dst, src, path)
	case reflect.String:
		return assignSame[string](dst, src, path)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return assignInt(dst, src, path)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return assignUint(dst, src, path)
	case reflect.Float32, reflect.Float64:
		return assignFloat(dst, src, path)
	case reflect.Slice, reflect.Array:
		return assignList(dst, src, path, depth)
	case reflect.Map:
		return assignMap(dst, src, path, depth)
	case reflect.Struct:
		return assignStruct(dst, src, path, depth)
	}
	return mismatch(dst, src, path)
}

// mismatch is the error for a src that does not fit dst.
func mismatch(dst reflect.Value, src any, path string) error {
	return &TypeError{Path: path, Got: typeName(src), Want: dst.Type().String()}
}

// assignInterface stores src in an interface (any, or another one src
// satisfies) as it is.
func assignInterface(dst reflect.Value, src any, path string) error {
	if src == nil {
		dst.SetZero()
		return nil
	}
	sv := reflect.ValueOf(src)
	if !sv.Type().AssignableTo(dst.Type()) {
		return mismatch(dst, src, path)
	}
	dst.Set(sv)
	return nil
}

// assignSame stores src in dst when src is a T, the Go type that one
// XML-RPC type decodes to (boolean, string, dateTime.iso8601, base64).
// dst may be a named type of the same kind.
func assignSame[T any](dst reflect.Value, src any, path string) error {
	v, ok := src.(T)
	if !ok {
		return mismatch(dst, src, path)
	}
	dst.Set(reflect.ValueOf(v).Convert(dst.Type()))
	return nil
}

// assignInt stores an int in any signed integer type it fits in.
func assignInt(dst reflect.Value, src any, path string) error {
	n, ok := src.(int)
	if !ok {
		return mismatch(dst, src, path)
	}
	if dst.OverflowInt(int64(n)) {
		return &TypeError{Path: path, Got: fmt.Sprintf("int %d", n), Want: dst.Type().String() + " (overflow)"}
	}
	dst.SetInt(int64(n))
	return nil
}

// assignUint stores a non-negative int in any unsigned integer type it
// fits in.
func assignUint(dst reflect.Value, src any, path string) error {
	n, ok := src.(int)
	if !ok {
		return mismatch(dst, src, path)
	}
	if n < 0 || dst.OverflowUint(uint64(n)) {
		return &TypeError{Path: path, Got: fmt.Sprintf("int %d", n), Want: dst.Type().String() + " (overflow)"}
	}
	dst.SetUint(uint64(n))
	return nil
}

// assignFloat stores a double, or an int, in a float type.
func assignFloat(dst reflect.Value, src any, path string) error {
	switch x := src.(type) {
	case float64:
		if dst.Kind() == reflect.Float32 && math.Abs(x) > math.MaxFloat32 {
			return &TypeError{Path: path, Got: "double", Want: "float32 (overflow)"}
		}
		dst.SetFloat(x)
	case int:
		dst.SetFloat(float64(x))
	default:
		return mismatch(dst, src, path)
	}
	return nil
}

// assignList stores an array in a slice, or in a Go array of the same
// length, element by element.
func assignList(dst reflect.Value, src any, path string, depth int) error {
	a, ok := src.([]any)
	if !ok || (dst.Kind() == reflect.Array && len(a) != dst.Len()) {
		return mismatch(dst, src, path)
	}
	out := dst
	if dst.Kind() == reflect.Slice {
		out = reflect.MakeSlice(dst.Type(), len(a), len(a))
	}
	for i, v := range a {
		if err := assign(out.Index(i), v, fmt.Sprintf("%s[%d]", path, i), depth+1); err != nil {
			return err
		}
	}
	dst.Set(out)
	return nil
}

// assignMap stores a struct in a map with string keys.
func assignMap(dst reflect.Value, src any, path string, depth int) error {
	m, ok := src.(map[string]any)
	if !ok || dst.Type().Key().Kind() != reflect.String {
		return mismatch(dst, src, path)
	}
	out := reflect.MakeMapWithSize(dst.Type(), len(m))
	for k, v := range m {
		ev := reflect.New(dst.Type().Elem()).Elem()
		if err := assign(ev, v, path+"."+k, depth+1); err != nil {
			return err
		}
		out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), ev)
	}
	dst.Set(out)
	return nil
}

// assignStruct stores a struct's members in a Go struct's fields,
// matched by xmlrpc tag or field name; unknown members are ignored.
func assignStruct(dst reflect.Value, src any, path string, depth int) error {
	m, ok := src.(map[string]any)
	if !ok {
		return mismatch(dst, src, path)
	}
	for _, f := range structFields(dst.Type()) {
		v, ok := m[f.name]
		if !ok {
			continue
		}
		if err := assign(dst.FieldByIndex(f.index), v, path+"."+f.name, depth+1); err != nil {
			return err
		}
	}
	return nil
}
