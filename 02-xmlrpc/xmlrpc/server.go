// The server side of XML-RPC is an `http.Handler`: read the POSTed
// `<methodCall>`, find the Go function registered under its name,
// convert the params to that function's argument types, call it, and
// write back its result or a fault. Python's `SimpleXMLRPCServer`
// does the same in `_marshaled_dispatch`.

package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"sync"
)

// `DefaultMaxBodyBytes` caps a request body. Python's server has no
// cap; without one a client could make us buffer gigabytes.
const DefaultMaxBodyBytes = 1 << 20

// `Server` holds the registered methods and serves them over HTTP.
// Create it with `NewServer`; it is safe for concurrent use.
type Server struct {
	// `MaxBodyBytes` caps the request body; a bigger one gets
	// HTTP 413. Zero means `DefaultMaxBodyBytes`.
	MaxBodyBytes int64

	// `RPCPaths` are the URL paths answered, like Python's
	// `rpc_paths`; others get HTTP 404. Empty means any path (useful
	// when the handler is mounted under an `http.ServeMux` prefix).
	RPCPaths []string

	// `OnCall`, if set, is told about every request: the decoded call
	// (nil if the body did not decode) and its result, or the fault
	// the client is sent. The server program uses it to log calls, as
	// Python's server logs requests. It may be called from many
	// goroutines at once.
	OnCall func(call *Call, result any, fault *Fault)

	mu      sync.RWMutex
	methods map[string]*method
}

// `NewServer` returns a server answering on `/` and `/RPC2` (Python's
// defaults) with the `system.*` methods already registered, as after
// Python's `register_introspection_functions` and
// `register_multicall_functions`.
func NewServer() *Server {
	s := &Server{
		RPCPaths: []string{"/", "/RPC2"},
		methods:  map[string]*method{},
	}
	s.registerSystem()
	return s
}

// `NewCalculatorServer` is a server with the article's calculator
// registered: the one `go run ./02-xmlrpc/server` runs, and the one
// other packages (benchmarks, the course tour) start in-process.
func NewCalculatorServer() *Server {
	s := NewServer()
	if err := s.RegisterInstance(Calculator{}); err != nil {
		// `Calculator`'s methods are fixed and supported; this
		// cannot happen unless the code above is broken.
		panic(fmt.Sprintf("xmlrpc: register Calculator: %v", err))
	}
	if err := s.RegisterFunction("sleep", Sleep); err != nil {
		panic(fmt.Sprintf("xmlrpc: register sleep: %v", err))
	}
	for name, help := range calculatorHelp {
		_ = s.SetHelp(name, help)
	}
	return s
}

// `ServeHTTP` answers one request. HTTP errors are for requests that
// are not XML-RPC at all (wrong path or verb, body too big); anything
// that reached the XML-RPC layer is answered with a fault and status
// 200, as the spec asks.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if len(s.RPCPaths) > 0 && !slices.Contains(s.RPCPaths, r.URL.Path) {
		http.Error(w, "no XML-RPC endpoint at "+r.URL.Path, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "XML-RPC needs POST", http.StatusMethodNotAllowed)
		return
	}

	// Read the whole body under a cap. `http.MaxBytesReader` also
	// tells `net/http` to close the connection after the reply.
	limit := s.MaxBodyBytes
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("request body over %d bytes", limit), http.StatusRequestEntityTooLarge)
			return
		}
		http.Error(w, "read request: "+err.Error(), http.StatusBadRequest)
		return
	}

	writeXML(w, s.respond(r.Context(), body))
}

// `respond` turns a request body into a response body.
func (s *Server) respond(ctx context.Context, body []byte) []byte {
	call, result, out, err := s.handle(ctx, body)
	var fault *Fault
	if err != nil {
		fault = asFault(err)
		out = EncodeFault(fault)
	}
	if s.OnCall != nil {
		s.OnCall(call, result, fault)
	}
	return out
}

// `handle` decodes and dispatches one call and encodes its result.
// Its error is a `*Fault`, or an error `asFault` turns into one.
func (s *Server) handle(ctx context.Context, body []byte) (*Call, any, []byte, error) {
	call, err := DecodeCall(bytes.NewReader(body))
	if err != nil {
		var de *DecodeError
		if errors.As(err, &de) {
			return nil, nil, nil, &Fault{Code: de.Code, String: de.Error()}
		}
		return nil, nil, nil, faultf(CodeNotWellFormed, "%v", err)
	}
	result, err := s.Dispatch(ctx, call.Method, call.Params)
	if err != nil {
		return call, nil, nil, err
	}
	// A result XML-RPC cannot carry (an int over 32 bits, NaN…) is
	// the server's failure, reported as such.
	out, err := EncodeResponse(result)
	if err != nil {
		return call, nil, nil, faultf(CodeInternalError, "%s: %v", call.Method, err)
	}
	return call, result, out, nil
}

func writeXML(w http.ResponseWriter, body []byte) {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}

// `Dispatch` calls the method registered as `name` with `params`. It
// is what `ServeHTTP` and `system.multicall` use; errors are
// `*Fault`s with the codes in fault.go.
func (s *Server) Dispatch(ctx context.Context, name string, params []any) (any, error) {
	s.mu.RLock()
	m := s.methods[name]
	s.mu.RUnlock()
	if m == nil {
		// The same words as Python's server, with our code.
		return nil, faultf(CodeMethodNotFound, "method %q is not supported", name)
	}
	return m.call(ctx, params)
}

// `asFault` gives every error a fault code: a method may return its
// own `*Fault`; any other error is an application error.
func asFault(err error) *Fault {
	var f *Fault
	if errors.As(err, &f) {
		return f
	}
	return &Fault{Code: CodeApplicationErr, String: err.Error()}
}
