// Printing a decoded value: [Repr] writes it the way Python's repr
// would show the same value, so the Go client's output reads like the
// article's interactive session (>>> server.add(2, 3) → 5). The rules
// of repr itself live in internal/pyfmt, shared by every lesson; this
// file adds the two things only XML-RPC knows.

package xmlrpc

import (
	"bytes"
	"reflect"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// Repr formats a decoded value as Python's repr() prints what
// xmlrpc.client decodes: 5, 'hi', 1000000.0, [1, 2], {'a': True}, None,
// b'\x00', <DateTime '20261121T08:00:00' at 0x…>. Python's DateTime
// shows its address in memory; a Go value has none to show, so the
// digits are left out.
func Repr(v any) string {
	p := pyfmt.Printer{Custom: reprXMLRPC}
	return p.Repr(v)
}

// reprXMLRPC prints what pyfmt cannot know: a time.Time is a
// <dateTime.iso8601>, and any other struct is shown as it would
// arrive, an XML-RPC <struct> with the member names its tags give.
func reprXMLRPC(v any) (string, bool) {
	if t, ok := v.(time.Time); ok {
		return "<DateTime '" + t.Format(TimeLayout) + "' at 0x…>", true
	}
	if reflect.ValueOf(v).Kind() != reflect.Struct {
		return "", false
	}
	doc, err := EncodeResponse(v)
	if err != nil {
		return "", false
	}
	d, err := DecodeResponse(bytes.NewReader(doc))
	if err != nil {
		return "", false
	}
	return Repr(d), true
}
