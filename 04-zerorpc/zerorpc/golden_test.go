// Golden tests: the frames captured from zerorpc-python 0.6.3 (see
// ../testdata/zerorpc-vectors.json, copied from the course's wire
// spec). Our encoder must write the same request bytes given the same
// message id, and our decoder must read every captured reply.

package zerorpc_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/vmihailenco/msgpack/v5"
)

type vectors struct {
	Calls []struct {
		Call    string
		Request struct{ Hex string }
		Reply   struct {
			Hex        string
			Name       string
			ArgsPrefix []string `json:"args_prefix"`
		}
	}
	ChannelEvents map[string]string `json:"channel_events"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	data, err := os.ReadFile("../testdata/zerorpc-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var v vectors
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

func unhex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// What each captured call sends, written as a Go caller would.
var requests = map[string]struct {
	method string
	args   []any
	id     zerorpc.MessageID
}{
	"add(2, 3)":    {"add", []any{2, 3}, binID("00000001")},
	"divide(1, 0)": {"divide", []any{1, 0}, binID("00000002")},
	"count(2,)":    {"count", []any{2}, binID("00000003")},
	"nosuch()":     {"nosuch", []any{}, binID("00000004")},
	"hello('Jé',)": {"hello", []any{"Jé"}, binID("00000005")},
	"add(1, 2)":    {"add", []any{1, 2}, zerorpc.MessageID{Value: "00000006-str-msgid", Str: true}},
}

func binID(counter string) zerorpc.MessageID {
	return zerorpc.MessageID{Value: counter + "aaaaaaaaaaaaaaaaaaaaaaaa"}
}

func TestEncoderReproducesCapturedRequests(t *testing.T) {
	v := loadVectors(t)
	if len(v.Calls) != len(requests) {
		t.Fatalf("vectors have %d calls, test knows %d", len(v.Calls), len(requests))
	}
	for _, c := range v.Calls {
		t.Run(c.Call, func(t *testing.T) {
			req, ok := requests[c.Call]
			if !ok {
				t.Fatalf("no Go request for %q", c.Call)
			}
			got, err := zerorpc.MarshalEvent(&zerorpc.Event{
				Header: zerorpc.Header{MessageID: req.id},
				Name:   req.method,
				Args:   req.args,
			})
			if err != nil {
				t.Fatal(err)
			}
			want := unhex(t, c.Request.Hex)
			if !bytes.Equal(got, want) {
				t.Errorf("encoded\n got %x\nwant %x", got, want)
			}
		})
	}
}

func TestDecoderReadsCapturedRequests(t *testing.T) {
	for _, c := range loadVectors(t).Calls {
		ev, err := zerorpc.UnmarshalEvent(unhex(t, c.Request.Hex))
		if err != nil {
			t.Fatalf("%s: %v", c.Call, err)
		}
		req := requests[c.Call]
		if ev.Header.MessageID != req.id || ev.Header.Version != 3 || ev.Name != req.method {
			t.Errorf("%s: decoded %+v", c.Call, ev)
		}
		var args []any
		if err := msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &args); err != nil || len(args) != len(req.args) {
			t.Errorf("%s: args %v, %v", c.Call, args, err)
		}
	}
}

// Every captured reply decodes, names the request's channel in
// response_to with the same msgpack type, and carries the result.
func TestDecoderReadsCapturedReplies(t *testing.T) {
	want := map[string]struct {
		name string
		args any
	}{
		"add(2, 3)":    {"OK", []any{int8(5)}},
		"count(2,)":    {"STREAM", int8(0)},
		"hello('Jé',)": {"OK", []any{"Hello, Jé"}},
		"add(1, 2)":    {"OK", []any{int8(3)}},
	}
	for _, c := range loadVectors(t).Calls {
		if c.Reply.Hex == "" {
			continue
		}
		t.Run(c.Call, func(t *testing.T) {
			ev, err := zerorpc.UnmarshalEvent(unhex(t, c.Reply.Hex))
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.ResponseTo != requests[c.Call].id {
				t.Errorf("response_to = %+v, want %+v", ev.Header.ResponseTo, requests[c.Call].id)
			}
			if ev.Header.MessageID.Str || len(ev.Header.MessageID.Value) != 32 || ev.Header.Version != 3 {
				t.Errorf("header = %+v, want a 32-byte bin id and v 3", ev.Header)
			}
			var args any
			if err := msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &args); err != nil {
				t.Fatal(err)
			}
			w := want[c.Call]
			if ev.Name != w.name || !reflect.DeepEqual(args, w.args) {
				t.Errorf("got %s %#v, want %s %#v", ev.Name, args, w.name, w.args)
			}
		})
	}
}

// The ERR replies were captured as a prefix of their args; our server
// must lay out ERR the same way: [name, message, traceback-or-nil].
func TestErrorRepliesMatchCapturedLayout(t *testing.T) {
	s, err := calc.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	c := dial(t, serve(t, s).Endpoint())
	for _, call := range loadVectors(t).Calls {
		if call.Reply.Name != "ERR" {
			continue
		}
		req := requests[call.Call]
		_, err := c.Call(t.Context(), req.method, req.args...)
		var re *zerorpc.RemoteError
		if !errors.As(err, &re) || re.Name != call.Reply.ArgsPrefix[0] || re.Message != call.Reply.ArgsPrefix[1] {
			t.Errorf("%s: got %v, want %v", call.Call, err, call.Reply.ArgsPrefix)
		}
	}
}

// The channel events decode, and re-encode to the same bytes.
func TestChannelEventsRoundTrip(t *testing.T) {
	wantArgs := map[string]any{
		"_zpc_hb":         []any{int8(0)},
		"_zpc_more [100]": []any{int8(100)},
		"STREAM_DONE":     nil,
	}
	for label, h := range loadVectors(t).ChannelEvents {
		t.Run(label, func(t *testing.T) {
			raw := unhex(t, h)
			ev, err := zerorpc.UnmarshalEvent(raw)
			if err != nil {
				t.Fatal(err)
			}
			if ev.Header.ResponseTo != binID("00000001") {
				t.Errorf("response_to = %+v", ev.Header.ResponseTo)
			}
			var args any
			if err := msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &args); err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(args, wantArgs[label]) {
				t.Errorf("args = %#v, want %#v", args, wantArgs[label])
			}
			again, err := zerorpc.MarshalEvent(ev)
			if err != nil || !bytes.Equal(again, raw) {
				t.Errorf("re-encoded\n got %x\nwant %x (%v)", again, raw, err)
			}
		})
	}
}
