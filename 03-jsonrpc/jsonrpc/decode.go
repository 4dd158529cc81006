// Decoding what a client sent. The body of a POST is one of three
// things: a Request object, a batch (a JSON array of them), or garbage.
// The specification tells the server how to answer each kind of
// garbage, so the decoder sorts it carefully.

package jsonrpc

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/rpc-course/rpc-from-0-to-1/internal/jsonsplit"
)

// The defaults for a [Server]'s limits on what one body may hold.
const (
	// DefaultMaxBatch caps the requests in one batch. Each one is run
	// and answered, so the batch length is the work a single POST asks
	// for; 1000 is the limit Ethereum's geth uses.
	DefaultMaxBatch = 1000
	// DefaultMaxDepth caps how deeply arrays and objects nest in a body.
	// Decoders recurse once per level; real params rarely go past three.
	DefaultMaxDepth = 64
)

// DecodeRequests reads a request body with the default limits. It
// returns the requests and whether they came as a batch. A non-nil
// error is the single Response the whole body gets: a parse error for
// invalid JSON, an invalid request for an empty or too long batch, a
// body nested too deeply, or a body that is neither an object nor an
// array. An element that is not a valid Request object does not stop
// the others: it comes back with its Invalid field set.
func DecodeRequests(body []byte) (reqs []Request, batch bool, err *Error) {
	reqs, batch, err, _ = decodeRequests(body, DefaultMaxBatch, DefaultMaxDepth)
	return reqs, batch, err
}

// decodeRequests is [DecodeRequests] with the server's limits. It
// reports overLimit when the error is one of those limits, so that the
// server can log the peer.
func decodeRequests(body []byte, maxBatch, maxDepth int) (reqs []Request, batch bool, err *Error, overLimit bool) {
	// json.Valid first: the specification wants -32700 for anything
	// that does not parse, even when part of it would. It keeps no
	// values, so it costs no memory whatever the body holds.
	body = bytes.TrimSpace(body)
	if !json.Valid(body) {
		return nil, false, NewError(CodeParseError, parseDetail(body)), false
	}
	batch = body[0] == '['
	// Then the depth, before any decoder recurses into the body.
	if tooDeep(body, maxDepth) {
		return nil, batch, NewError(CodeInvalidRequest,
			fmt.Sprintf("JSON nested deeper than %d levels", maxDepth)), true
	}
	if batch {
		return decodeBatch(body, maxBatch)
	}
	// Anything else is a single request; decodeOne rejects numbers,
	// strings and the like as invalid requests.
	return []Request{decodeOne(body)}, false, nil, false
}

// decodeBatch reads a batch (a JSON array) one element at a time, and
// stops at maxBatch elements: a longer batch gets a single Invalid
// Request, not one answer per element. It must not be empty either:
// [] gets a single Invalid Request, not an empty array back.
func decodeBatch(body []byte, maxBatch int) (reqs []Request, batch bool, err *Error, overLimit bool) {
	e := jsonsplit.Elements(body, func(raw json.RawMessage) error {
		if len(reqs) == maxBatch {
			return errBatchTooLong
		}
		reqs = append(reqs, decodeOne(raw))
		return nil
	})
	switch {
	case errors.Is(e, errBatchTooLong):
		return nil, true, NewError(CodeInvalidRequest,
			fmt.Sprintf("batch of more than %d requests", maxBatch)), true
	case e != nil:
		return nil, true, NewError(CodeParseError, e.Error()), false
	case len(reqs) == 0:
		return nil, true, NewError(CodeInvalidRequest, "empty batch"), false
	}
	return reqs, true, nil, false
}

// errBatchTooLong stops [decodeBatch] at the limit.
var errBatchTooLong = errors.New("batch too long")

// tooDeep says whether arrays and objects nest more than max levels in
// the valid JSON text b. Brackets inside strings do not count.
func tooDeep(b []byte, max int) bool {
	depth, inString := 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inString {
			switch c {
			case '\\':
				i++ // skip the escaped character, which may be a quote
			case '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
		case '[', '{':
			if depth++; depth > max {
				return true
			}
		case ']', '}':
			depth--
		}
	}
	return false
}

// parseDetail says where the JSON broke, for the error's data.
func parseDetail(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err.Error()
	}
	return "invalid JSON"
}

// decodeOne checks one Request object. It reads the object member by
// member rather than into a struct, on purpose: encoding/json matches
// struct fields case-insensitively, but JSON-RPC member names are
// case-sensitive, so {"Method": "add"} must not count as a method. And
// rather than into a map, so that a request padded with a hundred
// thousand unknown members costs no more than its size to skip.
func decodeOne(raw json.RawMessage) Request {
	var id, version, method, params, auth json.RawMessage
	err := jsonsplit.Members(raw, func(name []byte, value json.RawMessage) error {
		// As with a map, the last of two members with one name wins.
		switch string(name) {
		case "id":
			id = value
		case "jsonrpc":
			version = value
		case "method":
			method = value
		case "params":
			params = value
		case "auth":
			auth = value
		}
		return nil
	})
	if err != nil {
		return Request{Invalid: NewError(CodeInvalidRequest,
			"a request must be a JSON object")}
	}
	var r Request
	// The id first, so that later errors can be sent back with it. An
	// id of the wrong type cannot be echoed; the error goes out with
	// "id": null, as the specification says.
	if id != nil {
		if !validID(id) {
			return Request{Invalid: NewError(CodeInvalidRequest,
				"id must be a string, a number or null")}
		}
		r.ID = id
	}
	if string(version) != `"2.0"` {
		return invalid(r, `member "jsonrpc" must be exactly "2.0"`)
	}
	if len(method) == 0 || method[0] != '"' || json.Unmarshal(method, &r.Method) != nil {
		return invalid(r, `member "method" must be a string`)
	}
	// The params may be left out, but when present they must be
	// structured: an array or an object, never a bare value (or null).
	if params != nil {
		if params[0] != '[' && params[0] != '{' {
			return invalid(r, `member "params" must be an array or an object`)
		}
		r.Params = params
	}
	r.Auth = auth
	return r
}

// invalid marks a request invalid, keeping its id for the answer.
func invalid(r Request, detail string) Request {
	r.Invalid = NewError(CodeInvalidRequest, detail)
	if r.ID == nil {
		// Invalid requests are always answered, with id null when the
		// client sent none.
		r.ID = null
	}
	return r
}

// validID accepts the three kinds of id the specification allows.
// json.RawMessage values in a decoded map carry no surrounding space,
// so the first byte tells the type.
func validID(id json.RawMessage) bool {
	if len(id) == 0 {
		return false
	}
	switch c := id[0]; {
	case c == '"', c == 'n', c == '-', c >= '0' && c <= '9':
		return true
	}
	return false
}
