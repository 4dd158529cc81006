// Registering Go functions as RPC methods. Python finds a function's
// parameters at run time; Go's reflect package gives us the same power
// over a func value: how many arguments it takes, of which types, and
// what it returns. Names of parameters are not kept at run time, so for
// calls by name the names are given when registering.

package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rpc-course/rpc-from-0-to-1/internal/jsonsplit"
)

// A method is one registered procedure, ready to be called with raw
// JSON params.
type method struct {
	fn     reflect.Value
	ctx    bool           // the first argument is a context.Context
	args   []reflect.Type // the other arguments
	names  []string       // parameter names, for calls by name
	whole  bool           // one struct or map argument takes all params by name
	result bool           // it returns a value before the optional error
	errOut bool           // its last result is an error
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// RegisterFunction makes fn callable as name, like jsonrpclib's
// server.register_function(fn, name). fn is any function of the
// form func([ctx context.Context,] args...) ([result,] [error]).
// Give paramNames (one per argument after the context) to also accept
// params by name, e.g. {"x": 2, "y": 3}.
func (s *Server) RegisterFunction(name string, fn any, paramNames ...string) error {
	m, err := newMethod(reflect.ValueOf(fn), paramNames)
	if err != nil {
		return fmt.Errorf("register %q: %w", name, err)
	}
	return s.register(name, m)
}

// RegisterMethods is the python-jsonrpc style: every exported method
// of handler becomes an RPC method, named with a lower-case first
// letter (Add is called as add). Such methods take params by
// position; [Server.SetParamNames] adds names to one of them.
func (s *Server) RegisterMethods(handler any) error {
	v := reflect.ValueOf(handler)
	t := v.Type()
	if t.NumMethod() == 0 {
		return fmt.Errorf("register %s: no exported methods", t)
	}
	for i := range t.NumMethod() {
		name := lowerFirst(t.Method(i).Name)
		m, err := newMethod(v.Method(i), nil)
		if err != nil {
			return fmt.Errorf("register %s.%s: %w", t, t.Method(i).Name, err)
		}
		if err := s.register(name, m); err != nil {
			return err
		}
	}
	return nil
}

// SetParamNames lets an already registered method take params by
// name too.
func (s *Server) SetParamNames(name string, paramNames ...string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.methods[name]
	if !ok {
		return fmt.Errorf("set param names: no method %q", name)
	}
	if len(paramNames) != len(m.args) {
		return fmt.Errorf("set param names of %q: %d names for %d params",
			name, len(paramNames), len(m.args))
	}
	m.names = paramNames
	return nil
}

// register stores a method under its name. Names starting with rpc.
// are reserved by the specification for the protocol itself.
func (s *Server) register(name string, m *method) error {
	if name == "" || strings.HasPrefix(name, "rpc.") {
		return fmt.Errorf("register %q: name is empty or reserved", name)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.methods == nil {
		s.methods = map[string]*method{}
	}
	if _, dup := s.methods[name]; dup {
		return fmt.Errorf("register %q: already registered", name)
	}
	s.methods[name] = m
	return nil
}

// newMethod inspects a function once, at registration, so that a bad
// signature is a startup error and not a failure on every call.
func newMethod(fn reflect.Value, names []string) (*method, error) {
	if fn.Kind() != reflect.Func || fn.IsNil() {
		return nil, errors.New("not a function")
	}
	t := fn.Type()
	if t.IsVariadic() {
		return nil, errors.New("variadic functions are not supported")
	}
	m := &method{fn: fn}
	for i := range t.NumIn() {
		in := t.In(i)
		if i == 0 && in == contextType {
			m.ctx = true
			continue
		}
		m.args = append(m.args, in)
	}
	switch t.NumOut() {
	case 0:
	case 1:
		m.errOut = t.Out(0) == errorType
		m.result = !m.errOut
	case 2:
		if t.Out(1) != errorType {
			return nil, errors.New("second result must be an error")
		}
		m.result, m.errOut = true, true
	default:
		return nil, errors.New("too many results")
	}
	if len(names) > 0 && len(names) != len(m.args) {
		return nil, fmt.Errorf("%d names for %d params", len(names), len(m.args))
	}
	m.names = names
	if names == nil && len(m.args) == 1 {
		k := m.args[0].Kind()
		m.whole = k == reflect.Struct || k == reflect.Map
	}
	return m, nil
}

// call decodes the params into the function's argument types, calls
// it, and encodes its result. Every way the params can be wrong ends as
// an Invalid params error that says what was wrong.
func (m *method) call(ctx context.Context, params json.RawMessage) (json.RawMessage, error) {
	raws, err := m.split(params)
	if err != nil {
		return nil, err
	}
	in := make([]reflect.Value, 0, len(m.args)+1)
	if m.ctx {
		in = append(in, reflect.ValueOf(ctx))
	}
	for i, raw := range raws {
		// encoding/json leaves an int at 0 for null; we say no.
		if string(raw) == "null" && !nullable(m.args[i]) {
			return nil, NewError(CodeInvalidParams,
				fmt.Sprintf("param %s: null is not a %s", m.paramName(i), m.args[i]))
		}
		p := reflect.New(m.args[i])
		if err := unmarshalStrict(raw, p.Interface()); err != nil {
			return nil, NewError(CodeInvalidParams,
				fmt.Sprintf("param %s: %v", m.paramName(i), err))
		}
		in = append(in, p.Elem())
	}
	out := m.fn.Call(in)
	if m.errOut {
		if err, _ := out[len(out)-1].Interface().(error); err != nil {
			return nil, err
		}
	}
	if !m.result {
		return null, nil
	}
	b, err := json.Marshal(out[0].Interface())
	if err != nil {
		return nil, NewError(CodeInternalError, "encode result: "+err.Error())
	}
	return b, nil
}

// split turns params into one raw JSON value per argument, in order.
func (m *method) split(params json.RawMessage) ([]json.RawMessage, error) {
	// A method whose one argument is a struct or a map takes an object
	// of params whole (and {} when there are none).
	if m.whole && (len(params) == 0 || params[0] == '{') {
		if len(params) == 0 {
			params = json.RawMessage("{}")
		}
		return []json.RawMessage{params}, nil
	}
	// No params at all is the same as an empty array.
	if len(params) == 0 || params[0] == '[' {
		return m.splitByPosition(params)
	}
	return m.splitByName(params)
}

// errTooManyParams stops reading params by position one past the
// count the method takes: however long the array, nothing more is kept.
var errTooManyParams = errors.New("too many params")

// splitByPosition reads a params array, one raw value per argument.
func (m *method) splitByPosition(params json.RawMessage) ([]json.RawMessage, error) {
	raws := make([]json.RawMessage, 0, len(m.args))
	if len(params) > 0 {
		err := jsonsplit.Elements(params, func(raw json.RawMessage) error {
			if len(raws) == len(m.args) {
				return errTooManyParams
			}
			raws = append(raws, raw)
			return nil
		})
		if errors.Is(err, errTooManyParams) {
			return nil, NewError(CodeInvalidParams,
				fmt.Sprintf("want %d params, got more", len(m.args)))
		}
		if err != nil {
			return nil, NewError(CodeInvalidParams, err.Error())
		}
	}
	if len(raws) != len(m.args) {
		return nil, NewError(CodeInvalidParams,
			fmt.Sprintf("want %d params, got %d", len(m.args), len(raws)))
	}
	return raws, nil
}

// splitByName reads a params object: every name must be known and every
// parameter given. The first unknown name ends the reading.
func (m *method) splitByName(params json.RawMessage) ([]json.RawMessage, error) {
	if m.names == nil {
		return nil, NewError(CodeInvalidParams,
			"this method takes params by position (a JSON array)")
	}
	raws := make([]json.RawMessage, len(m.names))
	err := jsonsplit.Members(params, func(name []byte, raw json.RawMessage) error {
		i := slices.IndexFunc(m.names, func(n string) bool { return n == string(name) })
		if i < 0 {
			return NewError(CodeInvalidParams, "unknown param "+string(name))
		}
		raws[i] = raw
		return nil
	})
	var e *Error
	if errors.As(err, &e) {
		return nil, e
	}
	if err != nil {
		return nil, NewError(CodeInvalidParams, err.Error())
	}
	for i, n := range m.names {
		if raws[i] == nil {
			return nil, NewError(CodeInvalidParams, "missing param "+n)
		}
	}
	return raws, nil
}

// unmarshalStrict is json.Unmarshal that refuses unknown struct
// fields, so a misspelt param name is an error and not silently lost.
func unmarshalStrict(raw json.RawMessage, v any) error {
	if reflect.TypeOf(v).Elem().Kind() != reflect.Struct {
		return json.Unmarshal(raw, v) // cheaper, and nothing to refuse
	}
	d := json.NewDecoder(bytes.NewReader(raw))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// nullable says whether null is a meaningful value of type t.
func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
		return true
	}
	return false
}

// paramName names argument i in error messages.
func (m *method) paramName(i int) string {
	if m.names != nil {
		return fmt.Sprintf("%q", m.names[i])
	}
	return fmt.Sprintf("%d", i+1)
}

// lowerFirst turns the Go method name Add into the RPC name add.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
