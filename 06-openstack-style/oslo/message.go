// What travels on the wire. Every oslo.messaging message is JSON inside an
// envelope whose oslo.message is itself a JSON *string*:
//
//	{"oslo.version": "2.0", "oslo.message": "{\"method\": \"test\", ...}"}
//
// A request holds method, args (keyword arguments only), maybe
// namespace and version, a _unique_id, the request context flattened
// into _context_<key> fields and, for a call, _msg_id, _reply_q and
// _timeout. A reply holds result, failure, ending, _msg_id and
// _unique_id.

package oslo

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/jsonsplit"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

const (
	envelopeVersion = "2.0"
	contentType     = "application/json"
	contentEncoding = "utf-8"
	contextPrefix   = "_context_"
)

// A Request is one decoded call or cast.
type Request struct {
	Method    string
	Args      map[string]any // keyword arguments, JSON values
	Namespace string         // "" when the message has none
	Version   string         // "" when the message has none ("1.0" then)
	MsgID     string         // calls only: the id the reply carries back
	ReplyQ    string         // calls only: where to send the reply
	// Timeout is the caller's _timeout (call monitoring), nil when the
	// caller sent null: then no heartbeat may be sent.
	Timeout  *float64
	UniqueID string
	Context  map[string]any // the _context_* fields, prefix removed

	// rawArgs is args as the message carried it, kept by decodeRequest so
	// the dispatcher can read the arguments straight into the method's
	// parameters. A Request built any other way has none.
	rawArgs json.RawMessage
}

// IsCall says whether the sender waits for a reply.
func (r *Request) IsCall() bool { return r.MsgID != "" && r.ReplyQ != "" }

// A Reply is one answer to a call: the result, a failure, or (with
// Ending false) a heartbeat.
type Reply struct {
	Result   json.RawMessage // JSON of the result ("null" when none)
	Failure  *Failure
	Ending   bool
	MsgID    string
	UniqueID string
}

// encodeRequest builds the inner message in oslo's field order, written
// as oslo's json.dumps writes it: a [pyfmt.Dict] keeps the order.
func encodeRequest(r *Request) ([]byte, error) {
	args := r.Args
	if args == nil {
		args = map[string]any{}
	}
	d := pyfmt.Dict{{Key: "method", Value: r.Method}, {Key: "args", Value: args}}
	if r.Namespace != "" {
		d = append(d, pyfmt.Item{Key: "namespace", Value: r.Namespace})
	}
	if r.Version != "" {
		d = append(d, pyfmt.Item{Key: "version", Value: r.Version})
	}
	if r.MsgID != "" {
		var timeout any // JSON null unless call monitoring is on
		if r.Timeout != nil {
			timeout = *r.Timeout
		}
		d = append(d, pyfmt.Item{Key: "_msg_id", Value: r.MsgID},
			pyfmt.Item{Key: "_reply_q", Value: r.ReplyQ}, pyfmt.Item{Key: "_timeout", Value: timeout})
	}
	d = append(d, pyfmt.Item{Key: "_unique_id", Value: r.UniqueID})
	for _, k := range slices.Sorted(maps.Keys(r.Context)) {
		d = append(d, pyfmt.Item{Key: contextPrefix + k, Value: r.Context[k]})
	}
	return pyfmt.JSON(d)
}

// encodeReply builds a reply in oslo's field order; failure travels
// as a JSON string.
func encodeReply(r *Reply) ([]byte, error) {
	result := r.Result
	if len(result) == 0 {
		result = json.RawMessage("null")
	}
	var failure any
	if r.Failure != nil {
		f, err := r.Failure.marshal()
		if err != nil {
			return nil, err
		}
		failure = string(f)
	}
	return pyfmt.JSON(pyfmt.Dict{
		{Key: "result", Value: result}, {Key: "failure", Value: failure}, {Key: "ending", Value: r.Ending},
		{Key: "_msg_id", Value: r.MsgID}, {Key: "_unique_id", Value: r.UniqueID},
	})
}

// wrapEnvelope puts an inner message into the version 2.0 envelope.
func wrapEnvelope(inner []byte) []byte {
	b := make([]byte, 0, len(envelopeStart)+len(inner)*5/4+3)
	b = append(b, envelopeStart...)
	b = pyfmt.AppendJSONString(b, string(inner))
	return append(b, '}')
}

// envelopeStart is the envelope up to its message, as json.dumps
// writes it.
const envelopeStart = `{"oslo.version": "` + envelopeVersion + `", "oslo.message": `

// publishing is the AMQP message oslo sends: JSON, persistent, priority
// 0, empty headers; a call also sets expiration to its timeout in ms.
func publishing(body []byte, expiration time.Duration) amqp.Publishing {
	p := amqp.Publishing{
		ContentType:     contentType,
		ContentEncoding: contentEncoding,
		DeliveryMode:    amqp.Persistent,
		Priority:        0,
		Headers:         amqp.Table{},
		Body:            body,
	}
	if expiration > 0 {
		p.Expiration = strconv.FormatInt(expiration.Milliseconds(), 10)
	}
	return p
}

// A MessageError is a message this side cannot read. MsgID and
// ReplyQ are set when they could be read anyway: then the caller can be
// told, instead of waiting for its timeout.
type MessageError struct {
	Reason string
	MsgID  string
	ReplyQ string
}

func (e *MessageError) Error() string { return "bad message: " + e.Reason }

// openEnvelope reads an AMQP body as a JSON object: the inner message
// of a 2.0 envelope, or the body itself (version 1, no envelope).
//
// Nearly every body is an envelope exactly as oslo's json.dumps writes
// it, so that form is read first, as its fixed start, one JSON string
// and "}"; anything else goes the general way, as one JSON object. Both
// ways give the same answer; the first decodes the envelope once
// instead of twice, and a call decodes two of them.
func openEnvelope(body []byte) (map[string]json.RawMessage, error) {
	if text, ok := envelopeText(body); ok {
		return innerObject(text)
	}
	var outer map[string]json.RawMessage
	if err := json.Unmarshal(body, &outer); err != nil || outer == nil {
		return nil, &MessageError{Reason: "body is not a JSON object"}
	}
	rawVersion, hasVersion := outer["oslo.version"]
	rawMessage, hasMessage := outer["oslo.message"]
	if !hasVersion || !hasMessage {
		return outer, nil // version 1: a plain dict
	}
	var version string
	if err := json.Unmarshal(rawVersion, &version); err != nil || version != envelopeVersion {
		return nil, &MessageError{Reason: fmt.Sprintf("unsupported envelope version %s", rawVersion)}
	}
	var text string
	if err := json.Unmarshal(rawMessage, &text); err != nil {
		return nil, &MessageError{Reason: "oslo.message is not a JSON string"}
	}
	return innerObject([]byte(text))
}

// envelopeText returns the inner message of a body in json.dumps's
// exact form of the 2.0 envelope, or false for any other body.
func envelopeText(body []byte) ([]byte, bool) {
	rest, ok := bytes.CutPrefix(body, []byte(envelopeStart))
	if !ok {
		return nil, false
	}
	str, ok := bytes.CutSuffix(rest, []byte("}"))
	if !ok {
		return nil, false
	}
	if text, ok := unquoteASCII(str); ok {
		return text, true
	}
	var text string
	if err := json.Unmarshal(str, &text); err != nil {
		return nil, false
	}
	return []byte(text), true
}

// unquoteASCII decodes a JSON string of printable ASCII whose only
// escapes are the one-letter ones, what json.dumps makes of an inner
// message (its own non-ASCII is already \uXXXX). Anything else, or
// anything that is not one whole string, returns false and goes
// through encoding/json.
func unquoteASCII(s []byte) ([]byte, bool) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return nil, false
	}
	s = s[1 : len(s)-1]
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c < 0x20 || c >= 0x7f:
			return nil, false
		case c != '\\':
			out = append(out, c)
			continue
		}
		if i++; i == len(s) {
			return nil, false
		}
		switch s[i] {
		case '"', '\\', '/':
			out = append(out, s[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		default: // \uXXXX, or not an escape at all
			return nil, false
		}
	}
	return out, true
}

// innerObject reads the inner message, a JSON object, into its members.
// Once json.Valid has checked the text, finding the members needs no
// decoder (see [jsonsplit]): each value stays a slice of text, to be
// read when it is needed. A name given twice keeps its last value, as
// encoding/json's would.
func innerObject(text []byte) (map[string]json.RawMessage, error) {
	notObject := &MessageError{Reason: "oslo.message is not a JSON object"}
	if !json.Valid(text) {
		return nil, notObject
	}
	inner := make(map[string]json.RawMessage, 8)
	if err := jsonsplit.Members(text, func(name []byte, value json.RawMessage) error {
		inner[string(name)] = value
		return nil
	}); err != nil {
		return nil, notObject
	}
	return inner, nil
}

// decodeRequest reads a request from an AMQP body. Its error is a
// *MessageError, with the reply address filled in when it was readable.
func decodeRequest(body []byte) (*Request, error) {
	m, err := openEnvelope(body)
	if err != nil {
		return nil, err
	}
	r := &Request{Context: map[string]any{}}
	bad := func(format string, args ...any) error {
		return &MessageError{Reason: fmt.Sprintf(format, args...), MsgID: r.MsgID, ReplyQ: r.ReplyQ}
	}
	// Read the reply address first, so later errors can be answered.
	optString(m, "_msg_id", &r.MsgID)
	optString(m, "_reply_q", &r.ReplyQ)
	optString(m, "_unique_id", &r.UniqueID)
	if raw, ok := m["_timeout"]; ok && string(raw) != "null" {
		t, err := parseTimeout(raw)
		if err != nil {
			return nil, bad("_timeout: %v", err)
		}
		r.Timeout = &t
	}
	for k, raw := range m {
		if name, ok := strings.CutPrefix(k, contextPrefix); ok {
			var v any
			if err := unmarshalUseNumber(raw, &v); err != nil {
				return nil, bad("%s: %v", k, err)
			}
			r.Context[name] = v
		}
	}
	raw, ok := m["method"]
	if !ok || string(raw) == "null" {
		return nil, bad("no method")
	}
	if err := unmarshalString(raw, &r.Method); err != nil || r.Method == "" {
		return nil, bad("method %s is not a name", raw)
	}
	if raw, ok := m["args"]; ok && string(raw) != "null" {
		if r.Args, err = decodeArgs(raw); err != nil {
			return nil, bad("args %s is not a JSON object of keyword arguments", truncate(raw))
		}
		r.rawArgs = raw
	}
	if r.Args == nil {
		r.Args = map[string]any{}
	}
	if err := optStringStrict(m, "namespace", &r.Namespace); err != nil {
		return nil, bad("%v", err)
	}
	if err := optStringStrict(m, "version", &r.Version); err != nil {
		return nil, bad("%v", err)
	}
	return r, nil
}

// decodeArgs reads the keyword arguments, a JSON object that
// innerObject has already checked, as encoding/json with UseNumber
// would: numbers stay [json.Number], as the caller wrote them. The
// values of most calls are numbers and plain strings, read here without
// a decoder; objects and arrays take the decoder.
func decodeArgs(raw json.RawMessage) (map[string]any, error) {
	args := map[string]any{}
	err := jsonsplit.Members(raw, func(name []byte, value json.RawMessage) error {
		var v any
		switch c := value[0]; {
		case c == '"':
			v = string(jsonsplit.Unquote(value))
		case c == '-' || '0' <= c && c <= '9':
			v = json.Number(value)
		case c == 't' || c == 'f':
			v = c == 't'
		case c == 'n':
			v = nil
		default:
			if err := unmarshalUseNumber(value, &v); err != nil {
				return err
			}
		}
		args[string(name)] = v
		return nil
	})
	return args, err
}

// decodeReply reads a reply from an AMQP body.
func decodeReply(body []byte) (*Reply, error) {
	m, err := openEnvelope(body)
	if err != nil {
		return nil, err
	}
	r := &Reply{Result: m["result"]}
	if len(r.Result) == 0 {
		r.Result = json.RawMessage("null")
	}
	optString(m, "_msg_id", &r.MsgID)
	optString(m, "_unique_id", &r.UniqueID)
	if raw, ok := m["ending"]; ok {
		if err := unmarshalBool(raw, &r.Ending); err != nil {
			return nil, &MessageError{Reason: "ending is not a boolean", MsgID: r.MsgID}
		}
	}
	if raw, ok := m["failure"]; ok && string(raw) != "null" {
		f, err := parseFailure(raw)
		if err != nil {
			return nil, &MessageError{Reason: "failure: " + err.Error(), MsgID: r.MsgID}
		}
		r.Failure = f
	}
	return r, nil
}

func optString(m map[string]json.RawMessage, key string, dst *string) {
	if raw, ok := m[key]; ok {
		_ = unmarshalString(raw, dst)
	}
}

// unmarshalString reads a JSON string from a value encoding/json has
// already checked; anything else gets encoding/json's error.
func unmarshalString(raw json.RawMessage, dst *string) error {
	if len(raw) > 0 && raw[0] == '"' {
		*dst = string(jsonsplit.Unquote(raw))
		return nil
	}
	return json.Unmarshal(raw, dst)
}

// unmarshalBool reads true or false as they are; anything else gets
// encoding/json's answer.
func unmarshalBool(raw json.RawMessage, dst *bool) error {
	switch string(raw) {
	case "true", "false":
		*dst = string(raw) == "true"
		return nil
	}
	return json.Unmarshal(raw, dst)
}

func optStringStrict(m map[string]json.RawMessage, key string, dst *string) error {
	raw, ok := m[key]
	if !ok || string(raw) == "null" {
		return nil
	}
	if err := unmarshalString(raw, dst); err != nil {
		return fmt.Errorf("%s %s is not a string", key, truncate(raw))
	}
	return nil
}

// parseTimeout accepts a number or a numeric string, like Python's int().
func parseTimeout(raw json.RawMessage) (float64, error) {
	var n json.Number
	if err := json.Unmarshal(raw, &n); err != nil {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return 0, fmt.Errorf("%s is not a number", truncate(raw))
		}
		n = json.Number(s)
	}
	f, err := n.Float64()
	if err != nil {
		return 0, fmt.Errorf("%q is not a number", n)
	}
	return f, nil
}

func unmarshalUseNumber(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after JSON value")
	}
	return nil
}

func truncate(raw []byte) string {
	if len(raw) > 60 {
		return string(raw[:60]) + "…"
	}
	return string(raw)
}

// newUUIDHex is a random (version 4) UUID as 32 hex digits, the form
// oslo uses for _msg_id, _unique_id and queue names.
func newUUIDHex() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return hex.EncodeToString(b[:])
}
