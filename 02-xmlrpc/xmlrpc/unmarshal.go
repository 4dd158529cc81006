// A decoded value is an `any` (see value.go). `Unmarshal` copies it
// into a typed Go variable, checking types on the way, the way
// `encoding/json` fills a struct. The server uses the same code to
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

// `TypeError` reports a value that does not fit its Go destination.
// `Path` says where, e.g. `[2].name`.
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

// `Unmarshal` stores the decoded value `src` in the variable `dst`
// points to. An int fills any Go integer type it fits in (and a float);
// a struct fills a `map[string]T` or a Go struct (members matched by
// `xmlrpc` tag or field name, unknown members ignored); `nil` zeroes
// pointers, slices, maps and interfaces.
func Unmarshal(src any, dst any) error {
	rv := reflect.ValueOf(dst)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return errors.New("xmlrpc: Unmarshal needs a non-nil pointer")
	}
	return assign(rv.Elem(), src, "")
}

func assign(dst reflect.Value, src any, path string) error {
	mismatch := func() error {
		return &TypeError{Path: path, Got: typeName(src), Want: dst.Type().String()}
	}

	// An `any` (or other interface `src` satisfies) takes the value
	// as it is.
	if dst.Kind() == reflect.Interface {
		if src == nil {
			dst.SetZero()
			return nil
		}
		sv := reflect.ValueOf(src)
		if !sv.Type().AssignableTo(dst.Type()) {
			return mismatch()
		}
		dst.Set(sv)
		return nil
	}
	if src == nil {
		switch dst.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			dst.SetZero()
			return nil
		}
		return mismatch()
	}
	if dst.Kind() == reflect.Pointer {
		if dst.IsNil() {
			dst.Set(reflect.New(dst.Type().Elem()))
		}
		return assign(dst.Elem(), src, path)
	}

	switch dst.Type() {
	case timeType:
		t, ok := src.(time.Time)
		if !ok {
			return mismatch()
		}
		dst.Set(reflect.ValueOf(t))
		return nil
	case bytesType:
		b, ok := src.([]byte)
		if !ok {
			return mismatch()
		}
		dst.SetBytes(b)
		return nil
	}

	switch dst.Kind() {
	case reflect.Bool:
		b, ok := src.(bool)
		if !ok {
			return mismatch()
		}
		dst.SetBool(b)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		n, ok := src.(int)
		if !ok {
			return mismatch()
		}
		if dst.OverflowInt(int64(n)) {
			return &TypeError{Path: path, Got: fmt.Sprintf("int %d", n), Want: dst.Type().String() + " (overflow)"}
		}
		dst.SetInt(int64(n))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		n, ok := src.(int)
		if !ok {
			return mismatch()
		}
		if n < 0 || dst.OverflowUint(uint64(n)) {
			return &TypeError{Path: path, Got: fmt.Sprintf("int %d", n), Want: dst.Type().String() + " (overflow)"}
		}
		dst.SetUint(uint64(n))
	case reflect.Float32, reflect.Float64:
		switch x := src.(type) {
		case float64:
			if dst.Kind() == reflect.Float32 && math.Abs(x) > math.MaxFloat32 {
				return &TypeError{Path: path, Got: "double", Want: "float32 (overflow)"}
			}
			dst.SetFloat(x)
		case int:
			dst.SetFloat(float64(x))
		default:
			return mismatch()
		}
	case reflect.String:
		s, ok := src.(string)
		if !ok {
			return mismatch()
		}
		dst.SetString(s)
	case reflect.Slice:
		a, ok := src.([]any)
		if !ok {
			return mismatch()
		}
		s := reflect.MakeSlice(dst.Type(), len(a), len(a))
		for i, v := range a {
			if err := assign(s.Index(i), v, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
		dst.Set(s)
	case reflect.Array:
		a, ok := src.([]any)
		if !ok || len(a) != dst.Len() {
			return mismatch()
		}
		for i, v := range a {
			if err := assign(dst.Index(i), v, fmt.Sprintf("%s[%d]", path, i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		m, ok := src.(map[string]any)
		if !ok || dst.Type().Key().Kind() != reflect.String {
			return mismatch()
		}
		out := reflect.MakeMapWithSize(dst.Type(), len(m))
		for k, v := range m {
			ev := reflect.New(dst.Type().Elem()).Elem()
			if err := assign(ev, v, path+"."+k); err != nil {
				return err
			}
			out.SetMapIndex(reflect.ValueOf(k).Convert(dst.Type().Key()), ev)
		}
		dst.Set(out)
	case reflect.Struct:
		m, ok := src.(map[string]any)
		if !ok {
			return mismatch()
		}
		for _, f := range structFields(dst.Type()) {
			v, ok := m[f.name]
			if !ok {
				continue
			}
			if err := assign(dst.FieldByIndex(f.index), v, path+"."+f.name); err != nil {
				return err
			}
		}
	default:
		return mismatch()
	}
	return nil
}
