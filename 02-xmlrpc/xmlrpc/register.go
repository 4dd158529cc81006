// Registering turns Go functions into remote methods. Python can call
// anything with any arguments and find out at run time; Go checks the
// shape of each function once, when it is registered, and then every
// call's params against the argument types.

package xmlrpc

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"unicode"
	"unicode/utf8"
)

// A method is one registered function and what we learned about it.
type method struct {
	name    string
	fn      reflect.Value
	withCtx bool           // first argument is a context.Context
	args    []reflect.Type // the argument types the params fill
	result  bool           // returns a value
	withErr bool           // returns an error last
	help    string
}

var (
	ctxType = reflect.TypeFor[context.Context]()
	errType = reflect.TypeFor[error]()
)

// RegisterInstance publishes every exported method of rcvr under
// its name with the first letter lowered (Add becomes add), like
// Python's register_instance. A method may take a context.Context
// first (cancelled when the client goes away) and must return nothing,
// a value, an error, or a value and an error.
func (s *Server) RegisterInstance(rcvr any) error {
	v := reflect.ValueOf(rcvr)
	if !v.IsValid() || v.NumMethod() == 0 {
		return fmt.Errorf("register %T: no exported methods", rcvr)
	}
	for i := range v.NumMethod() {
		name := lowerFirst(v.Type().Method(i).Name)
		if err := s.RegisterFunction(name, v.Method(i).Interface()); err != nil {
			return err
		}
	}
	return nil
}

// RegisterFunction publishes fn as name, like Python's
// register_function. Names may contain dots (math.add).
func (s *Server) RegisterFunction(name string, fn any) error {
	m, err := newMethod(name, fn)
	if err != nil {
		return fmt.Errorf("register %q: %w", name, err)
	}
	s.initOnce.Do(s.registerSystem)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.methods[name] = m
	return nil
}

// SetHelp sets the text system.methodHelp returns for name.
func (s *Server) SetHelp(name, help string) error {
	s.initOnce.Do(s.registerSystem)
	s.mu.Lock()
	defer s.mu.Unlock()
	m := s.methods[name]
	if m == nil {
		return fmt.Errorf("set help: no method %q", name)
	}
	m.help = help
	return nil
}

// names lists the registered methods, sorted.
func (s *Server) names() []string {
	s.initOnce.Do(s.registerSystem)
	s.mu.RLock()
	defer s.mu.RUnlock()
	names := make([]string, 0, len(s.methods))
	for n := range s.methods {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func (s *Server) lookup(name string) *method {
	s.initOnce.Do(s.registerSystem)
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.methods[name]
}

// newMethod checks fn has a shape we can call from the wire.
func newMethod(name string, fn any) (*method, error) {
	if name == "" {
		return nil, errors.New("empty method name")
	}
	v := reflect.ValueOf(fn)
	if v.Kind() != reflect.Func || v.IsNil() {
		return nil, fmt.Errorf("%T is not a function", fn)
	}
	t := v.Type()
	if t.IsVariadic() {
		return nil, errors.New("variadic functions are not supported")
	}
	m := &method{name: name, fn: v}
	for i := range t.NumIn() {
		in := t.In(i)
		if i == 0 && in == ctxType {
			m.withCtx = true
			continue
		}
		if _, err := wireType(in, 0); err != nil {
			return nil, fmt.Errorf("argument %d: %w", i+1, err)
		}
		m.args = append(m.args, in)
	}
	switch t.NumOut() {
	case 0:
	case 1:
		if t.Out(0) == errType {
			m.withErr = true
		} else {
			m.result = true
		}
	case 2:
		if t.Out(1) != errType {
			return nil, errors.New("a second result must be an error")
		}
		m.result, m.withErr = true, true
	default:
		return nil, errors.New("too many results")
	}
	if m.result {
		if _, err := wireType(t.Out(0), 0); err != nil {
			return nil, fmt.Errorf("result: %w", err)
		}
	}
	return m, nil
}

// call runs the method with the params of one call. Every way it
// can go wrong ends as a [*Fault].
func (m *method) call(ctx context.Context, params []any) (result any, err error) {
	if len(params) != len(m.args) {
		return nil, faultf(CodeInvalidParams, "%s takes %d params, got %d", m.name, len(m.args), len(params))
	}
	in := make([]reflect.Value, 0, len(m.args)+1)
	if m.withCtx {
		in = append(in, reflect.ValueOf(ctx))
	}
	for i, p := range params {
		arg := reflect.New(m.args[i]).Elem()
		if err := assign(arg, p, fmt.Sprintf("param %d", i+1), 0); err != nil {
			return nil, faultf(CodeInvalidParams, "%s: %v", m.name, err)
		}
		in = append(in, arg)
	}

	// A bug in a method must not take the server down: the panic
	// becomes a fault for this one call.
	defer func() {
		if p := recover(); p != nil {
			result, err = nil, faultf(CodeInternalError, "%s: method panicked: %v", m.name, p)
		}
	}()
	out := m.fn.Call(in)

	if m.withErr {
		if e, _ := out[len(out)-1].Interface().(error); e != nil {
			return nil, e
		}
	}
	if m.result {
		return out[0].Interface(), nil
	}
	return nil, nil
}

// wireType names the XML-RPC type a Go type travels as, or says why
// it cannot travel. system.methodSignature shows these names.
func wireType(t reflect.Type, depth int) (string, error) {
	if depth > maxDepth {
		return "", errors.New("type nested too deeply")
	}
	switch t {
	case timeType:
		return "dateTime.iso8601", nil
	case bytesType:
		return "base64", nil
	}
	switch t.Kind() {
	case reflect.Bool:
		return "boolean", nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "int", nil
	case reflect.Float32, reflect.Float64:
		return "double", nil
	case reflect.String:
		return "string", nil
	case reflect.Interface:
		if t.NumMethod() == 0 {
			return "any", nil
		}
	case reflect.Pointer:
		return wireType(t.Elem(), depth+1)
	case reflect.Slice, reflect.Array:
		if _, err := wireType(t.Elem(), depth+1); err != nil {
			return "", err
		}
		return "array", nil
	case reflect.Map:
		if t.Key().Kind() != reflect.String {
			return "", fmt.Errorf("%s: struct member names must be strings", t)
		}
		if _, err := wireType(t.Elem(), depth+1); err != nil {
			return "", err
		}
		return "struct", nil
	case reflect.Struct:
		for _, f := range structFields(t) {
			if _, err := wireType(t.FieldByIndex(f.index).Type, depth+1); err != nil {
				return "", err
			}
		}
		return "struct", nil
	}
	return "", fmt.Errorf("%s has no XML-RPC type", t)
}

// lowerFirst turns a Go method name into the usual XML-RPC one.
func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[n:]
}
