// The `system.*` methods let a client ask a server about itself
// (introspection) and send many calls in one request (multicall).
// They are not in the original spec but nearly every server has them;
// Python adds them with `register_introspection_functions` and
// `register_multicall_functions`.

package xmlrpc

import "context"

func (s *Server) registerSystem() {
	// The errors are ignored: these functions' shapes are valid.
	_ = s.RegisterFunction("system.listMethods", s.listMethods)
	_ = s.RegisterFunction("system.methodHelp", s.methodHelp)
	_ = s.RegisterFunction("system.methodSignature", s.methodSignature)
	_ = s.RegisterFunction("system.multicall", s.multicall)
	s.methods["system.listMethods"].help = "system.listMethods() returns the names of all methods."
	s.methods["system.methodHelp"].help = "system.methodHelp(name) returns a method's help text."
	s.methods["system.methodSignature"].help = "system.methodSignature(name) returns [[result type, param types…]]."
	s.methods["system.multicall"].help = "system.multicall([{methodName, params}, …]) runs many calls in one request."
}

// `listMethods` returns every method name, sorted.
func (s *Server) listMethods() []string { return s.names() }

// `methodHelp` returns the help text set with `SetHelp`, or "".
func (s *Server) methodHelp(name string) (string, error) {
	m := s.lookup(name)
	if m == nil {
		return "", faultf(CodeMethodNotFound, "method %q is not supported", name)
	}
	return m.help, nil
}

// `methodSignature` returns one signature, read off the Go function:
// the result type first, then the param types. (Python answers
// "signatures not supported"; Go's types let us do better.)
func (s *Server) methodSignature(name string) ([][]string, error) {
	m := s.lookup(name)
	if m == nil {
		return nil, faultf(CodeMethodNotFound, "method %q is not supported", name)
	}
	sig := []string{"nil"}
	if m.result {
		sig[0], _ = wireType(m.fn.Type().Out(0), 0)
	}
	for _, t := range m.args {
		name, _ := wireType(t, 0)
		sig = append(sig, name)
	}
	return [][]string{sig}, nil
}

// `multicall` runs each `{methodName, params}` struct in order. A
// success is answered with a one-element array holding the result, a
// failure with a fault struct, so one bad call does not spoil the rest.
func (s *Server) multicall(ctx context.Context, calls []any) []any {
	results := make([]any, 0, len(calls))
	for i, c := range calls {
		result, err := s.oneOfMany(ctx, c)
		if err == nil {
			// Check now that the result can be sent, so that one
			// bad result does not turn the whole reply into a fault.
			_, err = EncodeResponse(result)
			if err != nil {
				err = faultf(CodeInternalError, "call %d: cannot encode result: %v", i+1, err)
			}
		}
		if err != nil {
			f := asFault(err)
			results = append(results, map[string]any{"faultCode": f.Code, "faultString": sanitize(f.String)})
			continue
		}
		results = append(results, []any{result})
	}
	return results
}

func (s *Server) oneOfMany(ctx context.Context, c any) (any, error) {
	var call struct {
		MethodName string `xmlrpc:"methodName"`
		Params     []any  `xmlrpc:"params"`
	}
	if err := Unmarshal(c, &call); err != nil {
		return nil, faultf(CodeInvalidParams, "system.multicall: %v", err)
	}
	if call.MethodName == "system.multicall" {
		// Nested multicalls would let one small request fan out
		// into very many calls; Python allows them, we do not.
		return nil, faultf(CodeInvalidParams, "system.multicall cannot be nested")
	}
	if call.MethodName == "" {
		return nil, faultf(CodeInvalidParams, "system.multicall: entry lacks methodName")
	}
	return s.Dispatch(ctx, call.MethodName, nonNil(call.Params))
}

func nonNil(p []any) []any {
	if p == nil {
		return []any{}
	}
	return p
}
