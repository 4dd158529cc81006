// The built-in methods every zerorpc server answers. The command line
// uses them to list a server's methods; _zerorpc_ping is a cheap
// "are you there?".

package zerorpc

import "reflect"

// addBuiltins registers the six _zerorpc_* methods with the
// results Python gives.
func (s *Server) addBuiltins() {
	// _zerorpc_ping() → ["pong", name].
	s.builtin("_zerorpc_ping", func() []any { return []any{"pong", s.Name} })
	// _zerorpc_name() → the server's name.
	s.builtin("_zerorpc_name", func() string { return s.Name })
	// _zerorpc_list() → the public method names.
	s.builtin("_zerorpc_list", func() []string { return s.publicNames() })
	// _zerorpc_help(m) → the doc string, or nil.
	s.builtin("_zerorpc_help", func(name string) (any, error) {
		m, err := s.lookup(name)
		if err != nil {
			return nil, err
		}
		return docOrNil(m), nil
	})
	// _zerorpc_args(m) → a Python argspec:
	// [arg names, varargs, keywords, defaults].
	s.builtin("_zerorpc_args", func(name string) (any, error) {
		m, err := s.lookup(name)
		if err != nil {
			return nil, err
		}
		return argSpec(m), nil
	})
	// _zerorpc_inspect() →
	// {"name": N, "methods": {m: {"args": [{"name": a}, …], "doc": D}}}.
	s.builtin("_zerorpc_inspect", func() map[string]any {
		methods := map[string]any{}
		for _, name := range s.publicNames() {
			m := s.methods[name]
			args := make([]map[string]any, 0, len(m.doc.Args))
			for _, a := range m.doc.Args {
				args = append(args, map[string]any{"name": a})
			}
			methods[name] = map[string]any{"args": args, "doc": docOrNil(m)}
		}
		return map[string]any{"name": s.Name, "methods": methods}
	})
}

// builtin registers one built-in method.
func (s *Server) builtin(name string, fn any) {
	if err := s.add(name, reflect.ValueOf(fn), Doc{}); err != nil {
		panic(err) // a bug in this file, not bad input
	}
}

// lookup finds a method as Python looks the name up in a dict: an
// unknown one is a KeyError.
func (s *Server) lookup(name string) (*method, error) {
	m := s.methods[name]
	if m == nil {
		return nil, &RemoteError{Name: "KeyError", Message: "'" + name + "'"}
	}
	return m, nil
}

func docOrNil(m *method) any {
	if m.doc.Text == "" {
		return nil
	}
	return m.doc.Text
}

func argSpec(m *method) []any {
	names := m.doc.Args
	var varargs any
	if m.variadic && len(names) > 0 {
		varargs = names[len(names)-1]
		names = names[:len(names)-1]
	}
	return []any{names, varargs, nil, nil}
}
