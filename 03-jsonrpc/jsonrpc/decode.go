// Decoding what a client sent. The body of a POST is one of three
// things: a Request object, a batch (a JSON array of them), or garbage.
// The specification tells the server how to answer each kind of
// garbage, so the decoder sorts it carefully.

package jsonrpc

import (
	"bytes"
	"encoding/json"
)

// `DecodeRequests` reads a request body. It returns the requests and
// whether they came as a batch. A non-nil error is the single Response
// the whole body gets: a parse error for invalid JSON, an invalid
// request for an empty batch or a body that is neither an object nor an
// array. An element that is not a valid Request object does not stop
// the others: it comes back with its `Invalid` field set.
func DecodeRequests(body []byte) (reqs []Request, batch bool, err *Error) {
	// `json.Valid` first: the specification wants -32700 for anything
	// that does not parse, even when part of it would.
	body = bytes.TrimSpace(body)
	if !json.Valid(body) {
		return nil, false, NewError(CodeParseError, parseDetail(body))
	}
	// A batch is an array. It must not be empty: `[]` gets a single
	// Invalid Request, not an empty array back.
	if body[0] == '[' {
		var elems []json.RawMessage
		if e := json.Unmarshal(body, &elems); e != nil {
			return nil, false, NewError(CodeParseError, e.Error())
		}
		if len(elems) == 0 {
			return nil, true, NewError(CodeInvalidRequest, "empty batch")
		}
		reqs = make([]Request, len(elems))
		for i, raw := range elems {
			reqs[i] = decodeOne(raw)
		}
		return reqs, true, nil
	}
	// Anything else is a single request; `decodeOne` rejects numbers,
	// strings and the like as invalid requests.
	return []Request{decodeOne(body)}, false, nil
}

// `parseDetail` says where the JSON broke, for the error's `data`.
func parseDetail(body []byte) string {
	var v any
	if err := json.Unmarshal(body, &v); err != nil {
		return err.Error()
	}
	return "invalid JSON"
}

// `decodeOne` checks one Request object. We decode into a map rather
// than a struct on purpose: `encoding/json` matches struct fields
// case-insensitively, but JSON-RPC member names are case-sensitive, so
// `{"Method": "add"}` must not count as a method.
func decodeOne(raw json.RawMessage) Request {
	var m map[string]json.RawMessage
	if len(raw) == 0 || raw[0] != '{' || json.Unmarshal(raw, &m) != nil {
		return Request{Invalid: NewError(CodeInvalidRequest,
			"a request must be a JSON object")}
	}
	var r Request
	// The id first, so that later errors can be sent back with it. An
	// id of the wrong type cannot be echoed; the error goes out with
	// `"id": null`, as the specification says.
	if id, ok := m["id"]; ok {
		if !validID(id) {
			return Request{Invalid: NewError(CodeInvalidRequest,
				"id must be a string, a number or null")}
		}
		r.ID = id
	}
	if v, ok := m["jsonrpc"]; !ok || string(v) != `"2.0"` {
		return invalid(r, `member "jsonrpc" must be exactly "2.0"`)
	}
	method, ok := m["method"]
	if !ok || len(method) == 0 || method[0] != '"' ||
		json.Unmarshal(method, &r.Method) != nil {
		return invalid(r, `member "method" must be a string`)
	}
	// `params` may be left out, but when present it must be structured:
	// an array or an object, never a bare value (or `null`).
	if p, ok := m["params"]; ok {
		if p[0] != '[' && p[0] != '{' {
			return invalid(r, `member "params" must be an array or an object`)
		}
		r.Params = p
	}
	r.Auth = m["auth"]
	return r
}

// `invalid` marks a request invalid, keeping its id for the answer.
func invalid(r Request, detail string) Request {
	r.Invalid = NewError(CodeInvalidRequest, detail)
	if r.ID == nil {
		// Invalid requests are always answered, with id null when the
		// client sent none.
		r.ID = null
	}
	return r
}

// `validID` accepts the three kinds of id the specification allows.
// `json.RawMessage` values in a decoded map carry no surrounding space,
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
