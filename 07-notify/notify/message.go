// The message is what travels: one JSON object per notification.
// Driver messagingv2 wraps it in oslo's envelope, whose
// oslo.message is the inner object as a JSON *string*; driver
// messaging (format 1.0) sends the object itself. A receiver tells
// them apart by the two envelope keys, so it reads both.

package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/rpc-course/rpc-from-0-to-1/internal/jsonsplit"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// Driver picks the message format, named like oslo's notification
// drivers.
type Driver string

const (
	// DriverMessagingV2 sends the 2.0 envelope (oslo's default for
	// notifications, and what ceilometer expects).
	DriverMessagingV2 Driver = "messagingv2"
	// DriverMessaging sends format 1.0: the bare message.
	DriverMessaging Driver = "messaging"
)

// Message is one notification as it is on the wire.
type Message struct {
	MessageID   string   // message_id, uuid4 with dashes
	PublisherID string   // publisher_id, e.g. "compute.host1"
	EventType   string   // event_type, e.g. "compute.instance.create.end"
	Priority    Priority // priority, upper-case
	// Payload is the JSON text of payload, kept as received so a
	// re-encoded message keeps Python's key order.
	Payload   json.RawMessage
	Timestamp string         // timestamp, see [FormatTimestamp]
	UniqueID  string         // _unique_id, uuid4 hex
	Context   RequestContext // the _context_<key> entries
	// Version is 2 when the message came in the envelope, else 1.
	Version int

	// dumped says Payload is already in json.dumps's form (the notifier
	// wrote it): it goes out as it is, not read and written again.
	dumped bool
}

// MalformedError says why a body is not a notification. A listener
// logs it and acknowledges the message: sending it back to the queue
// would only bring it back, forever.
type MalformedError struct {
	Reason string
}

func (e *MalformedError) Error() string {
	return "malformed notification: " + e.Reason
}

func malformed(format string, args ...any) error {
	return &MalformedError{Reason: fmt.Sprintf(format, args...)}
}

// Encode writes the message as oslo does for driver d: keys in
// oslo's order, Python's separators and escapes.
func (m *Message) Encode(d Driver) ([]byte, error) {
	inner, err := m.encodeInner()
	if err != nil {
		return nil, err
	}
	switch d {
	case DriverMessaging:
		return inner, nil
	case DriverMessagingV2, "":
		b := make([]byte, 0, 48+len(inner)*5/4)
		b = append(b, envelopeStart...)
		b = pyfmt.AppendJSONString(b, string(inner))
		return append(b, '}'), nil
	default:
		return nil, fmt.Errorf("unknown notification driver %q", d)
	}
}

// encodeInner writes the inner dict in the order oslo builds it:
// the six fields of Notifier._notify, then _unique_id added by
// the driver, then the context packed by pack_context.
func (m *Message) encodeInner() ([]byte, error) {
	var payload any // null
	if m.dumped {
		payload = pyfmt.Dumped(m.Payload)
	} else if len(m.Payload) > 0 {
		if !json.Valid(m.Payload) {
			return nil, errors.New("payload is not valid JSON")
		}
		payload = m.Payload
	}
	d := make(pyfmt.Dict, 0, 7+len(m.Context))
	d = append(d,
		pyfmt.Item{Key: "message_id", Value: m.MessageID},
		pyfmt.Item{Key: "publisher_id", Value: m.PublisherID},
		pyfmt.Item{Key: "event_type", Value: m.EventType},
		pyfmt.Item{Key: "priority", Value: string(m.Priority)},
		pyfmt.Item{Key: "payload", Value: payload},
		pyfmt.Item{Key: "timestamp", Value: m.Timestamp},
		pyfmt.Item{Key: "_unique_id", Value: m.UniqueID})
	for _, f := range m.Context {
		d = append(d, pyfmt.Item{Key: "_context_" + f.Key, Value: f.Value})
	}
	b, err := pyfmt.JSON(d)
	if err != nil {
		return nil, fmt.Errorf("notification: %w", err)
	}
	return b, nil
}

// envelopeStart is the 2.0 envelope up to its message, as json.dumps
// writes it.
const envelopeStart = `{"oslo.version": "2.0", "oslo.message": `

// DecodeMessage reads a body in either format. Errors are
// [*MalformedError]s.
func DecodeMessage(body []byte) (*Message, error) {
	// Nearly every body is the envelope exactly as json.dumps writes it:
	// then the inner object is read at once, without reading the
	// envelope as an object first.
	if text, ok := bytes.CutPrefix(body, []byte(envelopeStart)); ok {
		if text, ok := bytes.CutSuffix(text, []byte("}")); ok && json.Valid(text) && text[0] == '"' {
			fields, err := openEnvelope(json.RawMessage(`"2.0"`), text)
			if err != nil {
				return nil, err
			}
			m := &Message{Version: 2}
			if err := m.fill(fields); err != nil {
				return nil, err
			}
			return m, nil
		}
	}
	fields, err := decodeObject(body)
	if err != nil {
		return nil, malformed("body is not a JSON object: %v", err)
	}
	m := &Message{Version: 1}
	version, hasVersion := lookup(fields, "oslo.version")
	text, hasText := lookup(fields, "oslo.message")
	if hasVersion && hasText {
		if fields, err = openEnvelope(version, text); err != nil {
			return nil, err
		}
		m.Version = 2
	}
	if err := m.fill(fields); err != nil {
		return nil, err
	}
	return m, nil
}

// openEnvelope checks the envelope version (oslo accepts the same
// major number) and parses the inner JSON string.
func openEnvelope(version, text json.RawMessage) ([]member, error) {
	var v, s string
	if json.Unmarshal(version, &v) != nil {
		return nil, malformed("oslo.version is not a string")
	}
	if major, _, _ := strings.Cut(v, "."); major != "2" {
		return nil, malformed("unsupported envelope version %q", v)
	}
	if json.Unmarshal(text, &s) != nil {
		return nil, malformed("oslo.message is not a string")
	}
	fields, err := decodeObject([]byte(s))
	if err != nil {
		return nil, malformed("oslo.message is not a JSON object: %v", err)
	}
	return fields, nil
}

// fill copies the known keys into m and checks the ones a
// listener cannot do without.
func (m *Message) fill(fields []member) error {
	var priority string
	var err error
	str := func(key string, raw json.RawMessage, dst *string) {
		if err != nil || bytes.Equal(raw, []byte("null")) {
			return
		}
		if raw[0] != '"' { // the value is valid JSON: a string starts with '"'
			err = malformed("%s is not a string", key)
			return
		}
		*dst = string(jsonsplit.Unquote(raw))
	}
	for _, f := range fields {
		switch {
		case f.key == "message_id":
			str(f.key, f.value, &m.MessageID)
		case f.key == "publisher_id":
			str(f.key, f.value, &m.PublisherID)
		case f.key == "event_type":
			str(f.key, f.value, &m.EventType)
		case f.key == "priority":
			str(f.key, f.value, &priority)
		case f.key == "timestamp":
			str(f.key, f.value, &m.Timestamp)
		case f.key == "_unique_id":
			str(f.key, f.value, &m.UniqueID)
		case f.key == "payload":
			m.Payload = f.value
		case strings.HasPrefix(f.key, "_context_"):
			// The value was already parsed once, so this cannot fail.
			// A number stays a json.Number: an int sent is an int
			// written again.
			dec := json.NewDecoder(bytes.NewReader(f.value))
			dec.UseNumber()
			var v any
			_ = dec.Decode(&v)
			m.Context = append(m.Context,
				Field{Key: f.key[len("_context_"):], Value: v})
		}
	}
	if err != nil {
		return err
	}
	m.Priority = Priority(priority)
	for _, req := range []struct{ key, value string }{
		{"priority", priority},
		{"publisher_id", m.PublisherID},
		{"event_type", m.EventType},
	} {
		if req.value == "" {
			return malformed("missing %s", req.key)
		}
	}
	return nil
}

// member is one key of a JSON object, in the order it was written.
type member struct {
	key   string
	value json.RawMessage
}

func lookup(fields []member, key string) (json.RawMessage, bool) {
	for _, f := range fields {
		if f.key == key {
			return f.value, true
		}
	}
	return nil, false
}

// decodeObject reads one JSON object keeping its key order, which
// encoding/json would lose by decoding into a map. The text is checked
// first, so [jsonsplit.Members] only has to find where each key and
// value ends.
func decodeObject(data []byte) ([]member, error) {
	if !json.Valid(data) {
		return nil, errors.New("not valid JSON")
	}
	var out []member
	err := jsonsplit.Members(data, func(name []byte, value json.RawMessage) error {
		out = append(out, member{key: string(name), value: value})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
