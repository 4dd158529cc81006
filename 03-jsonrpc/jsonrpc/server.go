// The server: decode the body, run each request, encode the answers.
// `Handle` is the whole protocol without HTTP, so tests and the fuzzer
// can drive it directly; `ServeHTTP` adds the HTTP rules around it.

package jsonrpc

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
)

// `DefaultMaxBodyBytes` caps a request body. Without a cap, one client
// could make the server buffer gigabytes before it even parses them.
const DefaultMaxBodyBytes = 1 << 20

// A `Server` holds registered methods and answers JSON-RPC requests. It
// is an [http.Handler]: mount it at any path. The zero value is not
// ready; use [NewServer]. Register methods and set the fields before
// serving: they are read by every request.
type Server struct {
	// `MaxBodyBytes` limits request bodies; larger ones get HTTP 413.
	MaxBodyBytes int64
	// `Guard`, when set, runs before every call. If it returns an error,
	// the method is not run and the caller gets that error. The zabbix
	// example uses it to demand a valid `auth` token.
	Guard func(ctx context.Context, req *Request) error

	mu      sync.RWMutex
	methods map[string]*method
}

// `NewServer` returns a server with no methods.
func NewServer() *Server {
	return &Server{MaxBodyBytes: DefaultMaxBodyBytes, methods: map[string]*method{}}
}

// `requestKey` is the context key under which a method finds its request.
type requestKey struct{}

// `RequestFromContext` gives a method (one that takes a
// `context.Context`) the request it is serving, e.g. to read `Auth`.
func RequestFromContext(ctx context.Context) (*Request, bool) {
	r, ok := ctx.Value(requestKey{}).(*Request)
	return r, ok
}

// `Handle` answers one request body and returns the response body, or
// nil when there is nothing to send back (notifications only).
func (s *Server) Handle(ctx context.Context, body []byte) []byte {
	reqs, batch, perr := DecodeRequests(body)
	if perr != nil {
		return mustMarshal(Response{JSONRPC: Version, Error: perr, ID: null})
	}
	// A batch is answered with an array of the responses that exist;
	// the requests run one after the other, in order (the specification
	// would allow running them concurrently).
	resps := make([]Response, 0, len(reqs))
	for i := range reqs {
		if resp, ok := s.handleOne(ctx, &reqs[i]); ok {
			resps = append(resps, resp)
		}
	}
	if len(resps) == 0 {
		return nil
	}
	if !batch {
		return mustMarshal(resps[0])
	}
	return mustMarshal(resps)
}

// `handleOne` runs one request. It reports false when no response must
// be sent: the request was a valid notification.
func (s *Server) handleOne(ctx context.Context, req *Request) (Response, bool) {
	if req.Invalid != nil {
		return Response{JSONRPC: Version, Error: req.Invalid, ID: req.ID}, true
	}
	result, err := s.call(ctx, req)
	if req.IsNotification() {
		return Response{}, false
	}
	if err != nil {
		return Response{JSONRPC: Version, Error: toError(err), ID: req.ID}, true
	}
	return Response{JSONRPC: Version, Result: result, ID: req.ID}, true
}

// `call` finds the method, asks the guard, and calls it. A panic in a
// method must not take the server down: it becomes an Internal error.
func (s *Server) call(ctx context.Context, req *Request) (result json.RawMessage, err error) {
	s.mu.RLock()
	m, ok := s.methods[req.Method]
	s.mu.RUnlock()
	if !ok {
		return nil, NewError(CodeMethodNotFound, req.Method)
	}
	ctx = context.WithValue(ctx, requestKey{}, req)
	if s.Guard != nil {
		if err := s.Guard(ctx, req); err != nil {
			return nil, err
		}
	}
	defer func() {
		if p := recover(); p != nil {
			err = NewError(CodeInternalError, fmt.Sprintf("%s panicked: %v", req.Method, p))
		}
	}()
	return m.call(ctx, req.Params)
}

// `toError` turns what a method returned into an Error object. Methods
// that want a particular code return an `*Error`; any other Go error is
// a generic server error carrying its text.
func toError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeServerError, Message: err.Error()}
}

// `mustMarshal` encodes a response. Results were encoded already and
// `Error.Data` comes from our own methods, so failure is a bug in a
// method's data; it still gets a well-formed answer.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Response{JSONRPC: Version,
			Error: NewError(CodeInternalError, "encode response: "+err.Error()), ID: null})
	}
	return b
}

// `ServeHTTP` is JSON-RPC over HTTP: a POST carries the request, the
// response body carries the answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Only POST carries a body the protocol understands.
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "JSON-RPC needs POST", http.StatusMethodNotAllowed)
		return
	}
	// Read at most `MaxBodyBytes`; `MaxBytesReader` also tells the
	// HTTP server to close the connection after a too-large body.
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, s.MaxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		var netErr net.Error
		switch {
		case errors.As(err, &tooBig):
			http.Error(w, fmt.Sprintf("request body larger than %d bytes", tooBig.Limit),
				http.StatusRequestEntityTooLarge)
		case errors.As(err, &netErr) && netErr.Timeout():
			http.Error(w, "request body too slow", http.StatusRequestTimeout)
		default:
			http.Error(w, "read request body: "+err.Error(), http.StatusBadRequest)
		}
		return
	}
	// Every JSON-RPC answer, errors included, goes out as 200 OK: the
	// error is in the body. Python's jsonrpclib treats any other status
	// as a transport failure. A notification gets an empty 200 for the
	// same reason (the JSON-RPC-over-HTTP draft suggests 204).
	resp := s.Handle(r.Context(), body)
	if resp == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(resp)
}
