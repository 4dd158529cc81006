package oslo

import (
	"encoding/json"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// What we publish is byte for byte what oslo.messaging publishes for the
// same message: oslo's own serialize_msg and kombu's json, run by
// /usr/bin/python3 on the dict a Python peer would build, with non-ASCII
// text, HTML characters, a whole float (5.0, not 5) and an int.
func TestMessagesAreWhatOsloWritesByteForByte(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "kombu")
	arg := map[string]any{"html": "<&>", "n": 5, "name": "José 🙂", "ratio": 5.0, "tiny": 1e-7}
	req := &Request{Method: "test", Args: map[string]any{"arg": arg},
		MsgID: "m1", ReplyQ: "reply_q1", UniqueID: "u1", Context: map[string]any{"user": "Jürgen", "roles": []any{"admin"}}}
	timeout := 30.0
	monitored := *req
	monitored.Timeout = &timeout
	reply := &Reply{Result: json.RawMessage(`{"sum":5.0,"who":"é"}`), Ending: true, MsgID: "m1", UniqueID: "u2"}

	cases := []struct {
		name, python string // python: the dict oslo serializes, in its order
		encode       func() ([]byte, error)
	}{
		{"call", `{'method': 'test', 'args': {'arg': {'html': '<&>', 'n': 5, 'name': 'José 🙂', 'ratio': 5.0, 'tiny': 1e-7}},
			'_msg_id': 'm1', '_reply_q': 'reply_q1', '_timeout': None, '_unique_id': 'u1',
			'_context_roles': ['admin'], '_context_user': 'Jürgen'}`,
			func() ([]byte, error) { return encodeRequest(req) }},
		{"monitored call", `{'method': 'test', 'args': {'arg': {'html': '<&>', 'n': 5, 'name': 'José 🙂', 'ratio': 5.0, 'tiny': 1e-7}},
			'_msg_id': 'm1', '_reply_q': 'reply_q1', '_timeout': 30.0, '_unique_id': 'u1',
			'_context_roles': ['admin'], '_context_user': 'Jürgen'}`,
			func() ([]byte, error) { return encodeRequest(&monitored) }},
		{"reply", `{'result': {'sum': 5.0, 'who': 'é'}, 'failure': None, 'ending': True, '_msg_id': 'm1', '_unique_id': 'u2'}`,
			func() ([]byte, error) { return encodeReply(reply) }},
	}
	var exprs []string
	for _, c := range cases {
		exprs = append(exprs, c.python)
	}
	var want []string
	pypeer.Eval(t, `
import json, sys
from kombu.utils.json import dumps
from oslo_messaging._drivers.common import serialize_msg
json.dump([dumps(serialize_msg(eval(e))) for e in json.load(sys.stdin)], sys.stdout)
`, exprs, &want)
	if len(want) != len(cases) {
		t.Fatalf("python3 answered %d of %d", len(want), len(cases))
	}
	for i, c := range cases {
		inner, err := c.encode()
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		if got := string(wrapEnvelope(inner)); got != want[i] {
			t.Errorf("%s:\n ours %s\n oslo %s", c.name, got, want[i])
		}
	}
}
