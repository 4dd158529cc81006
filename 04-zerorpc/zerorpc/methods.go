// Registering Go functions as zerorpc methods. Python exposes an
// object's public methods by name; Go has no method names at run time
// in lower case, so [Server.Register] derives the Python-style name
// (Add → add, HelloWorld → hello_world) with reflect.

package zerorpc

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"strings"
	"unicode"

	"github.com/vmihailenco/msgpack/v5"
)

// A Doc describes a method for the introspection built-ins
// (_zerorpc_help, _zerorpc_args, _zerorpc_inspect) and for the
// command line's method list. Go keeps neither doc strings nor
// parameter names at run time, so we write them down.
type Doc struct {
	Text string   // the doc string; its first line is the summary
	Args []string // the parameter names, in order
}

// Documented is implemented by a value passed to [Server.Register]
// that describes its methods, keyed by their Python-style names.
type Documented interface {
	ZerorpcDocs() map[string]Doc
}

// How a method returns: a plain value, or a stream of items.
type streamKind int

const (
	notStream  streamKind = iota
	chanStream            // <-chan T
	seqStream             // iter.Seq[T]
	seq2Stream            // iter.Seq2[T, error]
)

// A method is one callable, with what reflect told us about it.
type method struct {
	name     string
	fn       reflect.Value
	in       []reflect.Type // parameters, without the leading context
	withCtx  bool
	variadic bool
	hasValue bool // returns a value before the optional error
	hasErr   bool
	stream   streamKind
	doc      Doc
}

var (
	ctxType = reflect.TypeFor[context.Context]()
	errType = reflect.TypeFor[error]()
)

// newMethod checks that fn is a function zerorpc can call:
// optionally a context.Context first, then msgpack-decodable
// parameters; it returns nothing, a value, an error, or a value and an
// error. A value that is a receive channel or an iterator makes a
// streaming method.
func newMethod(name string, fn reflect.Value, doc Doc) (*method, error) {
	t := fn.Type()
	if t.Kind() != reflect.Func {
		return nil, fmt.Errorf("method %s: %s is not a function", name, t)
	}
	m := &method{name: name, fn: fn, doc: doc, variadic: t.IsVariadic()}
	for i := 0; i < t.NumIn(); i++ {
		if i == 0 && t.In(0) == ctxType {
			m.withCtx = true
			continue
		}
		m.in = append(m.in, t.In(i))
	}
	switch {
	case t.NumOut() == 0:
	case t.NumOut() == 1 && t.Out(0) == errType:
		m.hasErr = true
	case t.NumOut() == 1:
		m.hasValue = true
	case t.NumOut() == 2 && t.Out(1) == errType:
		m.hasValue, m.hasErr = true, true
	default:
		return nil, fmt.Errorf("method %s: returns %d values; want (T), (error) or (T, error)", name, t.NumOut())
	}
	if m.hasValue {
		kind, err := streamKindOf(t.Out(0))
		if err != nil {
			return nil, fmt.Errorf("method %s: %w", name, err)
		}
		m.stream = kind
	}
	if m.doc.Args == nil {
		for i := range m.in {
			m.doc.Args = append(m.doc.Args, fmt.Sprintf("arg%d", i))
		}
	}
	return m, nil
}

// streamKindOf recognises <-chan T, iter.Seq[T] and
// iter.Seq2[T, error] by shape, since generic types cannot be
// compared with one reflect.Type.
func streamKindOf(t reflect.Type) (streamKind, error) {
	switch {
	case t.Kind() == reflect.Chan && t.ChanDir()&reflect.RecvDir != 0:
		return chanStream, nil
	case t.Kind() == reflect.Func && t.NumIn() == 1 && t.NumOut() == 0:
		y := t.In(0)
		if y.Kind() != reflect.Func || y.NumOut() != 1 || y.Out(0).Kind() != reflect.Bool {
			return notStream, nil
		}
		switch {
		case y.NumIn() == 1:
			return seqStream, nil
		case y.NumIn() == 2 && y.In(1) == errType:
			return seq2Stream, nil
		}
		return notStream, fmt.Errorf("iterator %s: want iter.Seq[T] or iter.Seq2[T, error]", t)
	}
	return notStream, nil
}

// typeError mirrors Python's TypeError: the arguments do not fit the method.
func typeError(format string, args ...any) *RemoteError {
	return &RemoteError{Name: "TypeError", Message: fmt.Sprintf(format, args...)}
}

// call decodes the msgpack args array into the parameter types and
// calls the function. It returns the plain result, or the stream value
// for a streaming method. A panic in the method becomes an error: a
// bad request must never take the server down.
func (m *method) call(ctx context.Context, args msgpack.RawMessage) (result reflect.Value, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = &RemoteError{Name: "RuntimeError", Message: fmt.Sprintf("%s() panicked: %v", m.name, p)}
		}
	}()
	in, err := m.decodeArgs(ctx, args)
	if err != nil {
		return reflect.Value{}, err
	}
	out := m.fn.Call(in)
	if m.hasErr {
		if e := out[len(out)-1]; !e.IsNil() {
			return reflect.Value{}, e.Interface().(error)
		}
	}
	if m.hasValue {
		return out[0], nil
	}
	return reflect.Value{}, nil
}

func (m *method) decodeArgs(ctx context.Context, args msgpack.RawMessage) ([]reflect.Value, error) {
	dec := msgpack.NewDecoder(bytes.NewReader(args))
	n, err := dec.DecodeArrayLen()
	if err != nil || n < 0 {
		return nil, typeError("%s() argument after * must be an iterable", m.name)
	}
	fixed := len(m.in)
	if m.variadic {
		fixed--
	}
	if n < fixed || (!m.variadic && n > fixed) {
		return nil, typeError("%s() takes %d positional arguments but %d were given", m.name, fixed, n)
	}
	in := make([]reflect.Value, 0, n+1)
	if m.withCtx {
		in = append(in, reflect.ValueOf(ctx))
	}
	for i := 0; i < n; i++ {
		t := m.in[min(i, len(m.in)-1)]
		if m.variadic && i >= fixed {
			t = t.Elem()
		}
		v := reflect.New(t)
		if err := dec.DecodeValue(v.Elem()); err != nil {
			return nil, typeError("%s() argument %d: %v", m.name, i+1, err)
		}
		if t.Kind() == reflect.Interface && t.NumMethod() == 0 && !v.Elem().IsNil() {
			v.Elem().Set(reflect.ValueOf(plainInts(v.Elem().Interface())))
		}
		in = append(in, v.Elem())
	}
	return in, nil
}

// eachItem drains a stream value, calling emit for every item
// until the stream ends, emit returns false, or ctx is done. An
// iter.Seq2[T, error] ends the stream with its error.
func eachItem(ctx context.Context, kind streamKind, v reflect.Value, emit func(any) bool) (err error) {
	if v.IsNil() {
		return nil
	}
	defer func() {
		if p := recover(); p != nil {
			err = &RemoteError{Name: "RuntimeError", Message: fmt.Sprintf("stream panicked: %v", p)}
		}
	}()
	switch kind {
	case chanStream:
		cases := []reflect.SelectCase{
			{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(ctx.Done())},
			{Dir: reflect.SelectRecv, Chan: v},
		}
		for {
			chosen, item, ok := reflect.Select(cases)
			if chosen == 0 {
				return ctx.Err()
			}
			if !ok {
				return nil
			}
			if !emit(item.Interface()) {
				return nil
			}
		}
	case seqStream, seq2Stream:
		yieldType := v.Type().In(0)
		var streamErr error
		yield := reflect.MakeFunc(yieldType, func(args []reflect.Value) []reflect.Value {
			if kind == seq2Stream && !args[1].IsNil() {
				streamErr = args[1].Interface().(error)
				return []reflect.Value{reflect.ValueOf(false)}
			}
			ok := ctx.Err() == nil && emit(args[0].Interface())
			return []reflect.Value{reflect.ValueOf(ok)}
		})
		v.Call([]reflect.Value{yield})
		return streamErr
	}
	return nil
}

// pythonName turns a Go method name into the name Python users
// expect: Add → add, HelloWorld → hello_world,
// GetURLPath → get_url_path.
func pythonName(goName string) string {
	rs := []rune(goName)
	var b strings.Builder
	for i, r := range rs {
		if unicode.IsUpper(r) {
			prevLower := i > 0 && (unicode.IsLower(rs[i-1]) || unicode.IsDigit(rs[i-1]))
			acronymEnd := i > 0 && unicode.IsUpper(rs[i-1]) && i+1 < len(rs) && unicode.IsLower(rs[i+1])
			if prevLower || acronymEnd {
				b.WriteByte('_')
			}
			r = unicode.ToLower(r)
		}
		b.WriteRune(r)
	}
	return b.String()
}
