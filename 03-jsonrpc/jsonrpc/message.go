// The wire: a JSON-RPC 2.0 message is a JSON object with a few members
// whose names are fixed by the specification. This file holds the Go
// shapes of those objects and the five error codes the specification
// reserves.

package jsonrpc

import (
	"encoding/json"
	"fmt"
)

// Version is the value every Request and Response carries in its
// jsonrpc member. Anything else, even 2 or "2", is not JSON-RPC 2.0.
const Version = "2.0"

// The five error codes the specification defines. The range -32768 to
// -32000 is reserved; -32099 to -32000 is left to implementations for
// "server errors", and applications pick codes outside the range.
const (
	// Invalid JSON was received: the server could not even parse it.
	CodeParseError = -32700
	// The JSON is valid but is not a Request object (or a batch of them).
	CodeInvalidRequest = -32600
	// The method does not exist or is not available.
	CodeMethodNotFound = -32601
	// The params do not fit the method: wrong count, names or types.
	CodeInvalidParams = -32602
	// The server broke while handling the call.
	CodeInternalError = -32603
	// A method failed with a plain Go error: an implementation-defined
	// "server error" from the reserved -32099..-32000 range.
	CodeServerError = -32000
)

// standardMessages are the messages the specification gives with each
// code. We always send exactly these, and put details in data, so
// that a client can match on code and message alike.
var standardMessages = map[int]string{
	CodeParseError:     "Parse error",
	CodeInvalidRequest: "Invalid Request",
	CodeMethodNotFound: "Method not found",
	CodeInvalidParams:  "Invalid params",
	CodeInternalError:  "Internal error",
	CodeServerError:    "Server error",
}

// An Error is the specification's Error object. It is also a Go
// error: a method returns one to choose the code and data the caller
// sees, and [Client] returns one when the server answers with an error,
// so callers can errors.As it and read the fields.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	// Data is optional detail, any JSON value. The client decodes it
	// with encoding/json defaults (numbers become float64).
	Data any `json:"data,omitempty"`
}

// Error prints the code and message, and the data as JSON when there
// is some, because the message of a standard error is deliberately
// generic.
func (e *Error) Error() string {
	if e.Data == nil {
		return fmt.Sprintf("jsonrpc error %d: %s", e.Code, e.Message)
	}
	data, err := json.Marshal(e.Data)
	if err != nil {
		data = []byte(fmt.Sprint(e.Data))
	}
	return fmt.Sprintf("jsonrpc error %d: %s (data: %s)", e.Code, e.Message, data)
}

// NewError builds one of the standard errors with its standard
// message; data may be nil.
func NewError(code int, data any) *Error {
	return &Error{Code: code, Message: standardMessages[code], Data: data}
}

// A Request is one decoded Request object, as the server sees it.
type Request struct {
	// Method names the procedure to call.
	Method string
	// Params is the raw params member: nil when absent, otherwise a
	// JSON array (by position) or a JSON object (by name).
	Params json.RawMessage
	// ID is the raw id member: nil when absent, which makes the
	// request a notification; otherwise a string, a number or null,
	// echoed byte for byte in the response.
	ID json.RawMessage
	// Auth is not part of JSON-RPC: Zabbix's API puts its session
	// token in an auth member. Servers ignore members they don't know,
	// so the extension costs nothing to everyone else.
	Auth json.RawMessage
	// Invalid is set when this element was not a valid Request object;
	// the server answers it with this error (even without an id).
	Invalid *Error
}

// IsNotification says whether the client wants no answer: the id
// member is absent. ("id": null is a request, just a discouraged one.)
func (r *Request) IsNotification() bool { return r.ID == nil }

// A Response is the specification's Response object. Exactly one of
// Result and Error is set; ID is the request's id, or null when
// the server could not read it.
type Response struct {
	JSONRPC string          `json:"jsonrpc"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
	ID      json.RawMessage `json:"id"`
}

// null is the JSON literal, used for ids the server could not read
// and for methods that return nothing.
var null = json.RawMessage("null")
