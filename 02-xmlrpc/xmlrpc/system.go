// The system.* methods let a client ask a server about itself
// (introspection) and send many calls in one request (multicall).
// They are not in the original spec but nearly every server has them;
// Python adds them with register_introspection_functions and
// register_multicall_functions.

package xmlrpc

import (
	"bytes"
	"context"
)

// registerSystem creates the method table with the system methods in
// it. It runs once, before the first registration or lookup, so that
// the zero [Server] is ready to use.
func (s *Server) registerSystem() {
	s.methods = map[string]*method{}
	for _, m := range []struct {
		name, help string
		fn         any
	}{
		{"system.listMethods", "system.listMethods() returns the names of all methods.", s.listMethods},
		{"system.methodHelp", "system.methodHelp(name) returns a method's help text.", s.methodHelp},
		{"system.methodSignature", "system.methodSignature(name) returns [[result type, param types…]].", s.methodSignature},
		{"system.multicall", "system.multicall([{methodName, params}, …]) runs many calls in one request.", s.multicall},
	} {
		// The errors are ignored: these functions' shapes are valid.
		fn, _ := newMethod(m.name, m.fn)
		fn.help = m.help
		s.methods[m.name] = fn
	}
}

// listMethods returns every method name, sorted.
func (s *Server) listMethods() []string { return s.names() }

// methodHelp returns the help text set with SetHelp, or "".
func (s *Server) methodHelp(name string) (string, error) {
	m := s.lookup(name)
	if m == nil {
		return "", faultf(CodeMethodNotFound, "method %q is not supported", name)
	}
	return m.help, nil
}

// methodSignature returns one signature, read off the Go function:
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

// multicall runs each {methodName, params} struct in order. A
// success is answered with a one-element array holding the result, a
// failure with a fault struct, so one bad call does not spoil the rest.
//
// One small request must not buy unbounded work, so three limits
// apply to the whole batch: at most MaxMulticall calls, all of them
// within the one request's RequestTimeout (their ctx; once it is over,
// the calls left are not run and get a fault each), and a reply of at
// most MaxReplyBytes, counted as the results are encoded, so an
// oversized reply is refused before it is built.
func (s *Server) multicall(ctx context.Context, calls []any) ([]any, error) {
	if limit := or(s.MaxMulticall, DefaultMaxMulticall); len(calls) > limit {
		return nil, faultf(CodeInvalidParams, "system.multicall: %d calls, the limit is %d", len(calls), limit)
	}
	maxReply := or(s.MaxReplyBytes, DefaultMaxReplyBytes)
	size := 0
	results := make([]any, 0, len(calls))
	for i, c := range calls {
		entry, n := s.oneEntry(ctx, i, c)
		size += n
		if size > maxReply {
			return nil, faultf(CodeSystemError, "system.multicall: reply over the server's limit of %d bytes after %d of %d calls", maxReply, i+1, len(calls))
		}
		results = append(results, entry)
	}
	return results, nil
}

// oneEntry runs the i-th call of a multicall and returns what its slot
// of the reply holds, [result] or a fault struct, and its encoded size.
// Encoding the entry now checks that it can be sent, so that one bad
// result does not turn the whole reply into a fault, and measures it.
func (s *Server) oneEntry(ctx context.Context, i int, c any) (any, int) {
	var buf bytes.Buffer
	var result any
	err := ctx.Err()
	if err != nil {
		// The request's time is up (or its client gone): the calls
		// left are not run, each gets a fault in its slot.
		err = faultf(CodeSystemError, "call %d not run: %v", i+1, err)
	} else {
		result, err = s.oneOfMany(ctx, c)
	}
	if err == nil {
		entry := []any{result}
		if err = appendValue(&buf, entry); err == nil {
			return entry, buf.Len()
		}
		err = faultf(CodeInternalError, "call %d: cannot encode result: %v", i+1, err)
	}
	f := asFault(err)
	entry := map[string]any{"faultCode": f.Code, "faultString": sanitize(f.String)}
	buf.Reset()
	_ = appendValue(&buf, entry) // sanitized, so it always encodes
	return entry, buf.Len()
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
