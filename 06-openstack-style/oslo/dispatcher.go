// The article's "dispatcher": on the server, it decides which endpoint
// method a request means, and calls it. oslo's rules:
//
//  1. Endpoints are tried in order. One qualifies when its namespace equals
//     the request's and its version is compatible (same major, minor not
//     older than asked; both default to "1.0").
//  2. The first qualifying endpoint that has the method runs it, as
//     method(ctx, **args).
//  3. Qualifying endpoints but no method: [NoSuchMethod]. No qualifying
//     endpoint: [UnsupportedVersion].
//
// A Python endpoint is an object and its methods; a Go endpoint is a value
// and its exported methods of one of these shapes:
//
//	func (e *E) Name(ctx context.Context, args A) (R, error)
//	func (e *E) Name(ctx context.Context, args A) error
//	func (e *E) Name(ctx context.Context) (R, error)
//	func (e *E) Name(ctx context.Context) error
//
// The type A holds the keyword arguments: a struct (its json names are the
// argument names; a field without omitempty is required, like a Python
// parameter without a default) or map[string]any. The method's wire
// name is its Go name in snake_case (Test → test, GetHostInfo →
// get_host_info). Names starting with _ are never callable (Go cannot
// export them anyway, and the dispatcher refuses them outright).

package oslo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"unicode"
)

// Targeted is implemented by an endpoint that declares a namespace or a
// version, like a Python endpoint's target attribute. Only Namespace
// and Version of the returned target matter.
type Targeted interface {
	Target() Target
}

// Dispatcher holds the endpoints of one server.
type Dispatcher struct {
	endpoints  []*endpoint
	serializer Serializer
}

type endpoint struct {
	name      string // Go type name, for logs
	namespace string
	version   string
	methods   map[string]*method
}

type method struct {
	wire     string
	fn       reflect.Value // bound to the endpoint value
	args     reflect.Type  // nil: the method takes no arguments
	required []string      // argument names without omitempty
	known    map[string]bool
	result   bool // returns (R, error) rather than error
	numbers  bool // args can hold a value of type any: read it with UseNumber
}

var (
	contextType = reflect.TypeFor[context.Context]()
	errorType   = reflect.TypeFor[error]()
)

// NewDispatcher inspects the endpoints once. A nil serializer means
// [JSONSerializer].
func NewDispatcher(endpoints []any, serializer Serializer) (*Dispatcher, error) {
	if serializer == nil {
		serializer = JSONSerializer{}
	}
	d := &Dispatcher{serializer: serializer}
	for i, e := range endpoints {
		if e == nil {
			return nil, fmt.Errorf("endpoint %d is nil", i)
		}
		ep := &endpoint{methods: map[string]*method{}}
		v := reflect.ValueOf(e)
		ep.name = reflect.Indirect(v).Type().Name()
		if t, ok := e.(Targeted); ok {
			target := t.Target()
			ep.namespace, ep.version = target.Namespace, target.Version
			if ep.version != "" {
				if _, _, err := parseVersion(ep.version); err != nil {
					return nil, fmt.Errorf("endpoint %s: %w", ep.name, err)
				}
			}
		}
		for j := 0; j < v.NumMethod(); j++ {
			m, ok := inspectMethod(v.Type().Method(j).Name, v.Method(j))
			if ok {
				ep.methods[m.wire] = m
			}
		}
		d.endpoints = append(d.endpoints, ep)
	}
	return d, nil
}

// inspectMethod accepts the method shapes listed above.
func inspectMethod(goName string, fn reflect.Value) (*method, bool) {
	t := fn.Type()
	if t.NumIn() < 1 || t.NumIn() > 2 || t.In(0) != contextType {
		return nil, false
	}
	m := &method{wire: snakeCase(goName), fn: fn}
	switch {
	case t.NumOut() == 1 && t.Out(0) == errorType:
	case t.NumOut() == 2 && t.Out(1) == errorType:
		m.result = true
	default:
		return nil, false
	}
	if t.NumIn() == 2 {
		a := t.In(1)
		base := a
		if base.Kind() == reflect.Pointer {
			base = base.Elem()
		}
		switch {
		case base.Kind() == reflect.Struct:
			m.known = map[string]bool{}
			for i := 0; i < base.NumField(); i++ {
				f := base.Field(i)
				if !f.IsExported() {
					continue
				}
				name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
				if name == "-" {
					continue
				}
				if name == "" {
					name = f.Name
				}
				m.known[name] = true
				if !strings.Contains(opts, "omitempty") {
					m.required = append(m.required, name)
				}
			}
		case base.Kind() == reflect.Map && base.Key().Kind() == reflect.String:
		default:
			return nil, false
		}
		m.args = a
		m.numbers = holdsAny(a, map[reflect.Type]bool{})
	}
	return m, true
}

// holdsAny reports whether a value of type t can hold a value of an
// interface type: only there does decoding with UseNumber differ from
// json.Unmarshal, which is the quicker of the two.
func holdsAny(t reflect.Type, seen map[reflect.Type]bool) bool {
	if seen[t] {
		return false
	}
	seen[t] = true
	switch t.Kind() {
	case reflect.Interface:
		return true
	case reflect.Pointer, reflect.Slice, reflect.Array, reflect.Map:
		return holdsAny(t.Elem(), seen)
	case reflect.Struct:
		for i := range t.NumField() {
			if holdsAny(t.Field(i).Type, seen) {
				return true
			}
		}
	}
	return false
}

// snakeCase is the wire name of a Go method: GetURL → get_url.
func snakeCase(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) {
			prevLower := i > 0 && !unicode.IsUpper(r[i-1])
			nextLower := i > 0 && i+1 < len(r) && unicode.IsLower(r[i+1])
			if i > 0 && (prevLower || nextLower) {
				b.WriteByte('_')
			}
			b.WriteRune(unicode.ToLower(c))
			continue
		}
		b.WriteRune(c)
	}
	return b.String()
}

// Methods lists "namespace/version method" for each callable method, for
// logs and the README.
func (d *Dispatcher) Methods() []string {
	var out []string
	for _, ep := range d.endpoints {
		for name := range ep.methods {
			ns := ep.namespace
			if ns == "" {
				ns = "-"
			}
			v := ep.version
			if v == "" {
				v = "1.0"
			}
			out = append(out, fmt.Sprintf("%s %s %s", ns, v, name))
		}
	}
	sort.Strings(out)
	return out
}

// Dispatch runs the request's method and returns its serialized result.
// Errors are what the caller gets as the failure: *NoSuchMethod,
// *UnsupportedVersion, a *Failure (TypeError for arguments that do
// not fit), or whatever the method returned.
func (d *Dispatcher) Dispatch(ctx context.Context, req *Request) (result any, err error) {
	if req.Method == "" {
		return nil, Builtin("TypeError", "message has no method")
	}
	version := req.Version
	if version == "" {
		version = "1.0"
	}
	if _, _, err := parseVersion(version); err != nil {
		return nil, Builtin("ValueError", "%v", err)
	}
	compatible := false
	for _, ep := range d.endpoints {
		have := ep.version
		if have == "" {
			have = "1.0"
		}
		if ep.namespace != req.Namespace {
			continue
		}
		if ok, _ := versionCompatible(have, version); !ok {
			continue
		}
		compatible = true
		m, ok := ep.methods[req.Method]
		if !ok || strings.HasPrefix(req.Method, "_") {
			continue
		}
		return d.call(ctx, m, req)
	}
	if compatible {
		return nil, &NoSuchMethod{Method: req.Method}
	}
	return nil, &UnsupportedVersion{Version: version, Method: req.Method}
}

// call deserializes the context and arguments, calls the method (a
// panic in it becomes a failure, not a crash) and serializes the result.
func (d *Dispatcher) call(ctx context.Context, m *method, req *Request) (result any, err error) {
	ctx, err = d.serializer.DeserializeContext(ctx, req.Context)
	if err != nil {
		return nil, Builtin("ValueError", "request context: %v", err)
	}
	in := []reflect.Value{reflect.ValueOf(ctx)}
	if m.args != nil {
		a, err := d.bindArgs(ctx, m, req)
		if err != nil {
			return nil, err
		}
		in = append(in, a)
	} else if len(req.Args) > 0 {
		for name := range req.Args {
			return nil, Builtin("TypeError", "%s() got an unexpected keyword argument '%s'", m.wire, name)
		}
	}

	defer func() {
		if p := recover(); p != nil {
			result, err = nil, &Failure{Class: "panic", Module: "runtime",
				Message: fmt.Sprintf("%s() panicked: %v", m.wire, p)}
		}
	}()
	out := m.fn.Call(in)
	if e := out[len(out)-1]; !e.IsNil() {
		return nil, e.Interface().(error)
	}
	if !m.result {
		return nil, nil
	}
	return d.serializer.SerializeEntity(ctx, out[0].Interface())
}

// bindArgs turns the keyword arguments into the method's argument value,
// answering like Python does when they do not fit (a TypeError).
func (d *Dispatcher) bindArgs(ctx context.Context, m *method, req *Request) (reflect.Value, error) {
	args := req.Args
	plain := make(map[string]any, len(args))
	names := make([]string, 0, len(args))
	for name, v := range args {
		dv, err := d.serializer.DeserializeEntity(ctx, v)
		if err != nil {
			return reflect.Value{}, Builtin("ValueError", "argument '%s': %v", name, err)
		}
		plain[name] = dv
		names = append(names, name)
	}
	sort.Strings(names)
	if m.known != nil {
		for _, name := range names {
			if !m.known[name] {
				return reflect.Value{}, Builtin("TypeError", "%s() got an unexpected keyword argument '%s'", m.wire, name)
			}
		}
		var missing []string
		for _, name := range m.required {
			if _, ok := plain[name]; !ok {
				missing = append(missing, "'"+name+"'")
			}
		}
		if len(missing) > 0 {
			s := ""
			if len(missing) > 1 {
				s = "s"
			}
			return reflect.Value{}, Builtin("TypeError", "%s() missing %d required keyword argument%s: %s",
				m.wire, len(missing), s, strings.Join(missing, " and "))
		}
	}
	// With the default serializer the arguments are what the message
	// carried: read them from there, rather than write them out again.
	data := req.rawArgs
	if _, same := d.serializer.(JSONSerializer); !same || data == nil {
		var err error
		if data, err = json.Marshal(plain); err != nil {
			return reflect.Value{}, Builtin("TypeError", "%s(): %v", m.wire, err)
		}
	}
	// A number in an argument of type any stays a json.Number, int or
	// float as the caller wrote it: echoed back, [1, 2] is still [1, 2].
	ptr := reflect.New(m.args)
	decode := json.Unmarshal
	if m.numbers {
		decode = unmarshalUseNumber
	}
	if err := decode(data, ptr.Interface()); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return reflect.Value{}, Builtin("TypeError", "%s(): argument '%s' must be %s, not %s", m.wire, te.Field, te.Type, te.Value)
		}
		return reflect.Value{}, Builtin("TypeError", "%s(): %v", m.wire, err)
	}
	return ptr.Elem(), nil
}
