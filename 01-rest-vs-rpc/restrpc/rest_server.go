// REST is an architectural style, not a protocol: the server exposes
// *resources* (nouns with URIs) and the client changes them with the
// few verbs HTTP already has. Nothing on the wire names a method of our
// code. Here the resource is a calculation: POST /calculations
// creates one, and the answer is part of its representation.

package restrpc

import (
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"strconv"
	"sync"
)

// Calculation is the resource's JSON representation. A client sends
// operation, x and y; the server adds id and result.
type Calculation struct {
	ID        int    `json:"id"`
	Operation string `json:"operation"`
	X         int    `json:"x"`
	Y         int    `json:"y"`
	Result    int    `json:"result"`
}

// calculationRequest is what POST accepts. Pointers tell a missing
// x from a zero one.
type calculationRequest struct {
	Operation string `json:"operation"`
	X         *int   `json:"x"`
	Y         *int   `json:"y"`
}

// keep is how many calculations the server remembers. Older ones are
// forgotten (and answer 404), so a benchmark cannot fill the memory.
const keep = 1024

// RESTHandler serves the calculator as resources:
//
//	GET    /calculations       list the remembered calculations
//	POST   /calculations       create one: 201 Created + Location
//	GET    /calculations/{id}  read one back
//	DELETE /calculations/{id}  forget one: 204 No Content
//
// HEAD works wherever GET does (net/http drops the body). Anything
// else is a 404 or 405 with a problem body.
type RESTHandler struct {
	// MaxBodyBytes caps a request body; zero means
	// [DefaultMaxRequestBytes]. A calculation is a few dozen bytes.
	MaxBodyBytes int64

	mux   *http.ServeMux
	mu    sync.Mutex
	next  int
	saved map[int]Calculation
}

// NewRESTHandler returns a handler with no calculations yet; the
// first one created gets id 1.
func NewRESTHandler() *RESTHandler {
	h := &RESTHandler{next: 1, saved: make(map[int]Calculation)}
	// The server routes on the URI first: this is the "series of
	// routes" the article says stands between a request and the code.
	// The verb is checked inside each handler, so that a wrong verb
	// gets our 405 problem, with an Allow header.
	h.mux = http.NewServeMux()
	h.mux.HandleFunc("/calculations", h.collection)
	h.mux.HandleFunc("/calculations/{id}", h.item)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeProblem(w, http.StatusNotFound,
			fmt.Sprintf("no resource at %s", r.URL.Path))
	})
	return h
}

// ServeHTTP routes a request to its resource.
func (h *RESTHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// collection is /calculations: GET lists, POST creates.
func (h *RESTHandler) collection(w http.ResponseWriter, r *http.Request) {
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.list(w)
	case http.MethodPost:
		h.create(w, r)
	default:
		methodNotAllowed(w, r, "GET, HEAD, POST")
	}
}

// item is /calculations/{id}: GET reads, DELETE removes.
func (h *RESTHandler) item(w http.ResponseWriter, r *http.Request) {
	id, err := strconv.Atoi(r.PathValue("id"))
	if err != nil || id < 1 {
		writeProblem(w, http.StatusNotFound,
			fmt.Sprintf("no resource at %s", r.URL.Path))
		return
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		h.mu.Lock()
		c, ok := h.saved[id]
		h.mu.Unlock()
		if !ok {
			writeProblem(w, http.StatusNotFound,
				fmt.Sprintf("no calculation %d", id))
			return
		}
		writeJSON(w, http.StatusOK, c)
	case http.MethodDelete:
		h.mu.Lock()
		_, ok := h.saved[id]
		delete(h.saved, id)
		h.mu.Unlock()
		if !ok {
			writeProblem(w, http.StatusNotFound,
				fmt.Sprintf("no calculation %d", id))
			return
		}
		w.WriteHeader(http.StatusNoContent)
	default:
		methodNotAllowed(w, r, "GET, HEAD, DELETE")
	}
}

// create is the REST way to "call add": it creates a calculation
// resource and answers 201 Created with its URI in Location.
func (h *RESTHandler) create(w http.ResponseWriter, r *http.Request) {
	// A body we cannot read as our JSON is the client's fault: 415 for
	// the wrong media type, 413 if too big, 400 if malformed.
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			writeProblem(w, http.StatusUnsupportedMediaType,
				fmt.Sprintf("send application/json, not %q", ct))
			return
		}
	}
	req, ok := h.readCalculation(w, r)
	if !ok {
		return
	}
	if req.X == nil || req.Y == nil {
		writeProblem(w, http.StatusUnprocessableEntity,
			`"x" and "y" are required`)
		return
	}

	// Well-formed but impossible (an unknown operation, a zero divisor)
	// is 422 Unprocessable Content: the request was understood, and no
	// resource can be made from it.
	result, err := Calculate(req.Operation, *req.X, *req.Y)
	if err != nil {
		writeProblem(w, http.StatusUnprocessableEntity, err.Error())
		return
	}

	c := Calculation{
		Operation: req.Operation, X: *req.X, Y: *req.Y, Result: result,
	}
	h.mu.Lock()
	c.ID = h.next
	h.next++
	h.saved[c.ID] = c
	delete(h.saved, c.ID-keep)
	h.mu.Unlock()

	w.Header().Set("Location", fmt.Sprintf("/calculations/%d", c.ID))
	writeJSON(w, http.StatusCreated, c)
}

// readCalculation decodes the body of a POST, or answers the problem
// with it: 413 past MaxBodyBytes, 408 if the body was too slow to come
// (the server's ReadTimeout), 400 if it is not our JSON.
func (h *RESTHandler) readCalculation(w http.ResponseWriter, r *http.Request) (calculationRequest, bool) {
	var req calculationRequest
	limit := orDefault(h.MaxBodyBytes, DefaultMaxRequestBytes)
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, limit))
	dec.DisallowUnknownFields()
	err := dec.Decode(&req)
	var tooBig *http.MaxBytesError
	var ne net.Error
	switch {
	case err == nil && dec.More():
		writeProblem(w, http.StatusBadRequest,
			"malformed JSON: data after the object")
	case err == nil:
		return req, true
	case errors.As(err, &tooBig):
		writeProblem(w, http.StatusRequestEntityTooLarge,
			fmt.Sprintf("body over %d bytes", limit))
	case errors.As(err, &ne) && ne.Timeout():
		w.Header().Set("Connection", "close")
		writeProblem(w, http.StatusRequestTimeout, "the body did not arrive in time")
	default:
		writeProblem(w, http.StatusBadRequest,
			fmt.Sprintf("malformed JSON: %v", err))
	}
	return req, false
}

// list answers the remembered calculations, oldest first.
func (h *RESTHandler) list(w http.ResponseWriter) {
	h.mu.Lock()
	all := make([]Calculation, 0, len(h.saved))
	for id := h.next - keep; id < h.next; id++ {
		if c, ok := h.saved[id]; ok {
			all = append(all, c)
		}
	}
	h.mu.Unlock()
	writeJSON(w, http.StatusOK, all)
}

// methodNotAllowed is 405; HTTP requires the Allow header with it.
func methodNotAllowed(w http.ResponseWriter, r *http.Request, allow string) {
	w.Header().Set("Allow", allow)
	writeProblem(w, http.StatusMethodNotAllowed,
		fmt.Sprintf("%s is not allowed on %s (allowed: %s)",
			r.Method, r.URL.Path, allow))
}

// writeJSON writes one JSON representation. Setting Content-Length
// ourselves keeps the response in one piece (no chunked encoding).
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		writeProblem(w, http.StatusInternalServerError, err.Error())
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	w.Write(body)
}
