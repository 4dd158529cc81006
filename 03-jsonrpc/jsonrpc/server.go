// The server: decode the body, run each request, encode the answers.
// Handle is the whole protocol without HTTP, so tests and the fuzzer
// can drive it directly; ServeHTTP adds the HTTP rules around it.

package jsonrpc

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
)

// The defaults for a [Server]'s limits on one request and its reply.
const (
	// DefaultMaxBodyBytes caps a request body. Without a cap, one client
	// could make the server buffer gigabytes before it even parses them.
	DefaultMaxBodyBytes = 1 << 20
	// DefaultMaxReplyBytes caps a response body. A small request can ask
	// for a large answer (a batch of invalid entries gets one error
	// each, about 50 times its size), so the reply needs its own cap.
	DefaultMaxReplyBytes = 4 << 20
)

// A Server holds registered methods and answers JSON-RPC requests. It
// is an [http.Handler]: mount it at any path, and serve it with an
// [HTTPServer]. The zero value is a server with no methods and the
// default limits. Register methods and set the fields before serving:
// they are read by every request.
type Server struct {
	// MaxBodyBytes limits request bodies; larger ones get HTTP 413.
	// Zero means [DefaultMaxBodyBytes].
	MaxBodyBytes int64
	// MaxBatch limits the requests in one batch; a longer batch gets a
	// single Invalid Request. Zero means [DefaultMaxBatch].
	MaxBatch int
	// MaxDepth limits how deeply arrays and objects nest in a body; a
	// deeper one gets a single Invalid Request. Zero means
	// [DefaultMaxDepth].
	MaxDepth int
	// MaxReplyBytes limits the response body; a larger answer is
	// replaced by a single server error. Zero means
	// [DefaultMaxReplyBytes].
	MaxReplyBytes int
	// Guard, when set, runs before every call. If it returns an error,
	// the method is not run and the caller gets that error. The zabbix
	// example uses it to demand a valid auth token.
	Guard func(ctx context.Context, req *Request) error
	// ErrorLog receives a line for each request refused by a limit;
	// nil means the log package's standard logger.
	ErrorLog *log.Logger

	mu      sync.RWMutex
	methods map[string]*method
}

// NewServer returns a server with no methods and the default limits:
// the same as new(Server).
func NewServer() *Server { return &Server{} }

// requestKey is the context key under which a method finds its request.
type requestKey struct{}

// RequestFromContext gives a method (one that takes a
// context.Context) the request it is serving, e.g. to read Auth.
func RequestFromContext(ctx context.Context) (*Request, bool) {
	r, ok := ctx.Value(requestKey{}).(*Request)
	return r, ok
}

// Handle answers one request body and returns the response body, or
// nil when there is nothing to send back (notifications only).
func (s *Server) Handle(ctx context.Context, body []byte) []byte {
	reply, _ := s.handle(ctx, body)
	return reply
}

// handle is [Server.Handle]; it also returns the error sent when the
// body or its reply went over a limit, for the log.
func (s *Server) handle(ctx context.Context, body []byte) (reply []byte, refused *Error) {
	reqs, batch, perr, overLimit := decodeRequests(body,
		orDefault(s.MaxBatch, DefaultMaxBatch), orDefault(s.MaxDepth, DefaultMaxDepth))
	if perr != nil {
		if overLimit {
			refused = perr
		}
		return mustMarshal(Response{JSONRPC: Version, Error: perr, ID: null}), refused
	}
	// A batch is answered with an array of the responses that exist;
	// the requests run one after the other, in order (the specification
	// would allow running them concurrently). The reply grows one
	// response at a time, so that a reply over the limit is caught as
	// it happens; the rest of the batch is then not run.
	maxReply := orDefault(s.MaxReplyBytes, DefaultMaxReplyBytes)
	n := 0
	for i := range reqs {
		resp, ok := s.handleOne(ctx, &reqs[i])
		if !ok {
			continue
		}
		switch {
		case !batch:
			reply = mustMarshal(resp)
		case n == 0:
			reply = append(append(reply, '['), mustMarshal(resp)...)
		default:
			reply = append(append(reply, ','), mustMarshal(resp)...)
		}
		n++
		if len(reply) > maxReply {
			return replyTooLarge(maxReply, batch, reqs[i].ID)
		}
	}
	if n == 0 {
		return nil, nil
	}
	if batch {
		reply = append(reply, ']')
	}
	return reply, nil
}

// replyTooLarge is the single answer that replaces a reply over the
// limit: a server error, with the request's id for a single call and
// null for a batch (whose answer has no single id).
func replyTooLarge(max int, batch bool, id json.RawMessage) ([]byte, *Error) {
	e := NewError(CodeServerError, fmt.Sprintf("response larger than %d bytes", max))
	if batch {
		id = null
	}
	return mustMarshal(Response{JSONRPC: Version, Error: e, ID: id}), e
}

// handleOne runs one request. It reports false when no response must
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

// call finds the method, asks the guard, and calls it. A panic in a
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

// toError turns what a method returned into an Error object. Methods
// that want a particular code return an *Error; any other Go error is
// a generic server error carrying its text.
func toError(err error) *Error {
	var e *Error
	if errors.As(err, &e) {
		return e
	}
	return &Error{Code: CodeServerError, Message: err.Error()}
}

// mustMarshal encodes a response. Results were encoded already and
// Error.Data comes from our own methods, so failure is a bug in a
// method's data; it still gets a well-formed answer.
func mustMarshal(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		b, _ = json.Marshal(Response{JSONRPC: Version,
			Error: NewError(CodeInternalError, "encode response: "+err.Error()), ID: null})
	}
	return b
}

// ServeHTTP is JSON-RPC over HTTP: a POST carries the request, the
// response body carries the answer.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Only POST carries a body the protocol understands.
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "JSON-RPC needs POST", http.StatusMethodNotAllowed)
		return
	}
	body, status, err := s.readBody(w, r)
	if err != nil {
		if status == http.StatusRequestEntityTooLarge {
			s.logf("jsonrpc: %s: %v", r.RemoteAddr, err)
		}
		http.Error(w, err.Error(), status)
		return
	}
	// Every JSON-RPC answer, errors included, goes out as 200 OK: the
	// error is in the body. Python's jsonrpclib treats any other status
	// as a transport failure. A notification gets an empty 200 for the
	// same reason (the JSON-RPC-over-HTTP draft suggests 204).
	resp, refused := s.handle(r.Context(), body)
	if refused != nil {
		s.logf("jsonrpc: %s: refused: %v", r.RemoteAddr, refused.Data)
	}
	if resp == nil {
		w.Header().Set("Content-Length", "0")
		w.WriteHeader(http.StatusOK)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Write(resp)
}

// readBody reads at most MaxBodyBytes of the request body.
// [http.MaxBytesReader] also tells the HTTP server to close the
// connection after a body that is too large. On failure it returns the
// HTTP status to answer with.
func (s *Server) readBody(w http.ResponseWriter, r *http.Request) ([]byte, int, error) {
	limit := orDefault(s.MaxBodyBytes, DefaultMaxBodyBytes)
	var buf bytes.Buffer
	// A body that announces its length is read into one buffer of that
	// size, but only once the length is known to be within the limit.
	if n := r.ContentLength; n > 0 && n <= limit {
		buf.Grow(int(n))
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	var netErr net.Error
	switch {
	case err == nil:
		return buf.Bytes(), http.StatusOK, nil
	case errors.As(err, &tooBig):
		return nil, http.StatusRequestEntityTooLarge,
			fmt.Errorf("request body larger than %d bytes", tooBig.Limit)
	case errors.As(err, &netErr) && netErr.Timeout():
		return nil, http.StatusRequestTimeout, errors.New("request body too slow")
	default:
		return nil, http.StatusBadRequest, fmt.Errorf("read request body: %w", err)
	}
}

// logf writes to ErrorLog, or to the standard logger.
func (s *Server) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}
