// The server side of XML-RPC is an HTTP handler: read the POSTed
// methodCall, find the Go function registered under its name, convert
// the params to that function's argument types, call it, and write
// back its result or a fault. Python's SimpleXMLRPCServer does the
// same in _marshaled_dispatch.

package xmlrpc

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"
)

// Server is Python's SimpleXMLRPCServer in one Go type: a table of
// registered methods (RegisterInstance, RegisterFunction) and the
// server that answers them over HTTP (Serve, ListenAndServe, Shutdown),
// configured, like [net/http.Server], by its exported fields. A zero
// field means the default named beside it. Set the fields before
// Serve; register methods at any time. The zero Server is ready to use
// (it answers on every path); [NewServer] answers on / and /RPC2 only,
// as Python does.
//
// A Server is also an [net/http.Handler], so it can be mounted on a
// mux of your own instead of being served by Serve.
type Server struct {
	// Addr is the TCP address ListenAndServe listens on; empty means
	// [DefaultAddr], the article's 127.0.0.1:8088.
	Addr string

	// Mode says how many requests are served at once. The zero value
	// is SingleThreaded, as with Python's SimpleXMLRPCServer.
	Mode Mode

	// ReadHeaderTimeout, ReadTimeout and WriteTimeout bound what one
	// slow client can cost. In SingleThreaded mode every other client
	// waits while it is served, so they are as tight as a class demo
	// allows: a client that connects and sends nothing is cut off
	// after ReadHeaderTimeout (default 2s), one that trickles its
	// request after ReadTimeout (default 3s, headers and body), and
	// one that never reads its reply after WriteTimeout (default 3s,
	// counted once the reply is ready).
	ReadHeaderTimeout time.Duration
	ReadTimeout       time.Duration
	WriteTimeout      time.Duration

	// IdleTimeout is how long a kept-alive connection may wait for
	// its next request in Concurrent mode (default 30s).
	IdleTimeout time.Duration

	// MaxConns caps the connections a Concurrent server holds open at
	// once (default 256); the next client waits in the listen backlog
	// until one closes, as every client does in SingleThreaded mode.
	// It bounds the memory all requests in flight take together. A
	// kept-alive connection holds its place until it has been idle for
	// IdleTimeout.
	MaxConns int

	// RequestTimeout caps the time one request spends in its methods
	// (default 10s): it is the deadline of the context a method gets,
	// and all the calls of one system.multicall share it.
	RequestTimeout time.Duration

	// MaxBodyBytes caps the request body (default 1 MiB); a bigger
	// one gets HTTP 413.
	MaxBodyBytes int64

	// MaxMulticall caps the number of calls in one system.multicall
	// (default 1000); more is a fault with [CodeInvalidParams].
	MaxMulticall int

	// MaxReplyBytes caps the encoded reply (default 4 MiB); a bigger
	// one is replaced by a fault with [CodeSystemError], so a small
	// request cannot make the server build a huge answer.
	MaxReplyBytes int

	// RPCPaths are the URL paths answered, like Python's rpc_paths;
	// others get HTTP 404. Empty means any path (useful when the
	// handler is mounted under a mux prefix).
	RPCPaths []string

	// OnCall, if set, is told about every request: the decoded call
	// (nil if the body did not decode) and its result, or the fault
	// the client is sent. The server program uses it to log calls, as
	// Python's server logs requests. It may be called from many
	// goroutines at once.
	OnCall func(call *Call, result any, fault *Fault)

	// ErrorLog receives a line for each client cut off by a limit and
	// for errors of the HTTP server; nil means the log package's
	// standard logger.
	ErrorLog *log.Logger

	initOnce sync.Once
	mu       sync.RWMutex
	methods  map[string]*method

	hsOnce sync.Once
	hs     *http.Server
}

// The defaults of the [Server] fields.
const (
	DefaultAddr              = "127.0.0.1:8088"
	DefaultReadHeaderTimeout = 2 * time.Second
	DefaultReadTimeout       = 3 * time.Second
	DefaultWriteTimeout      = 3 * time.Second
	DefaultIdleTimeout       = 30 * time.Second
	DefaultMaxConns          = 256
	DefaultRequestTimeout    = 10 * time.Second
	DefaultMaxBodyBytes      = 1 << 20
	DefaultMaxMulticall      = 1000
	DefaultMaxReplyBytes     = 4 << 20
)

// or returns v, or def when v is zero (or negative).
func or[T int | int64 | time.Duration](v, def T) T {
	if v <= 0 {
		return def
	}
	return v
}

// NewServer returns a server answering on / and /RPC2 (Python's
// defaults) with the system methods already registered, as after
// Python's register_introspection_functions and
// register_multicall_functions.
func NewServer() *Server {
	return &Server{RPCPaths: []string{"/", "/RPC2"}}
}

// NewCalculatorServer is a server with the article's calculator
// registered: the one go run ./02-xmlrpc/server runs, and the one
// other packages (benchmarks, the course tour) start in-process.
func NewCalculatorServer() *Server {
	s := NewServer()
	if err := s.RegisterInstance(Calculator{}); err != nil {
		// Calculator's methods are fixed and supported; this
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

// logf writes one line to ErrorLog.
func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// ServeHTTP answers one request. HTTP errors are for requests that
// are not XML-RPC at all (wrong path or verb, body too big); anything
// that reached the XML-RPC layer is answered with a fault and status
// 200, as the spec asks.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	markServed(r)
	if len(s.RPCPaths) > 0 && !slices.Contains(s.RPCPaths, r.URL.Path) {
		http.Error(w, "no XML-RPC endpoint at "+r.URL.Path, http.StatusNotFound)
		return
	}
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "XML-RPC needs POST", http.StatusMethodNotAllowed)
		return
	}

	// Read the whole body under a cap. MaxBytesReader also tells
	// net/http to close the connection after the reply.
	limit := or(s.MaxBodyBytes, DefaultMaxBodyBytes)
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			http.Error(w, fmt.Sprintf("request body over %d bytes", limit), http.StatusRequestEntityTooLarge)
			return
		}
		s.logf("xmlrpc: %s: read request: %v", r.RemoteAddr, err)
		http.Error(w, "read request: "+err.Error(), http.StatusBadRequest)
		return
	}

	// The methods get a context that ends when the client goes away
	// or when the request has used up its time, whichever is first.
	ctx, cancel := context.WithTimeout(r.Context(), or(s.RequestTimeout, DefaultRequestTimeout))
	out := s.respond(ctx, body)
	cancel()

	// The write timeout starts now, when the reply is ready: a client
	// that does not read it costs WriteTimeout, not more.
	_ = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(or(s.WriteTimeout, DefaultWriteTimeout)))
	if err := writeXML(w, out); err != nil {
		s.logf("xmlrpc: %s: reply of %d bytes not delivered: %v", r.RemoteAddr, len(out), err)
	}
}

// respond turns a request body into a response body.
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

// handle decodes and dispatches one call and encodes its result.
// Its error is a [*Fault], or an error asFault turns into one.
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
	if limit := or(s.MaxReplyBytes, DefaultMaxReplyBytes); len(out) > limit {
		return call, nil, nil, faultf(CodeSystemError, "%s: reply of %d bytes is over the server's limit of %d", call.Method, len(out), limit)
	}
	return call, result, out, nil
}

// writeXML sends one XML-RPC reply with status 200.
func writeXML(w http.ResponseWriter, body []byte) error {
	w.Header().Set("Content-Type", "text/xml")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	if _, err := w.Write(body); err != nil {
		return err
	}
	// Flushing now makes a failed write show up here, where it can be
	// logged, rather than after the handler has returned.
	return http.NewResponseController(w).Flush()
}

// Dispatch calls the method registered as name with params. It is
// what ServeHTTP and system.multicall use; errors are [*Fault] values
// with the codes in fault.go.
func (s *Server) Dispatch(ctx context.Context, name string, params []any) (any, error) {
	m := s.lookup(name)
	if m == nil {
		// The same words as Python's server, with our code.
		return nil, faultf(CodeMethodNotFound, "method %q is not supported", name)
	}
	return m.call(ctx, params)
}

// asFault gives every error a fault code: a method may return its own
// [*Fault]; a request that ran out of time is a system error; any
// other error is an application error.
func asFault(err error) *Fault {
	var f *Fault
	if errors.As(err, &f) {
		return f
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &Fault{Code: CodeSystemError, String: "request ran over the server's time limit"}
	}
	return &Fault{Code: CodeApplicationErr, String: err.Error()}
}
