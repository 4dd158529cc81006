package oslo

import (
	"encoding/json"
	"reflect"
	"testing"
)

// The lesson's own work per call, without the broker: what a call costs
// the client and the server in encoding and decoding.

func benchRequest() *Request {
	return &Request{Method: "add", Args: map[string]any{"x": 2, "y": 3},
		MsgID: newUUIDHex(), ReplyQ: "reply_" + newUUIDHex(), UniqueID: newUUIDHex(), Context: map[string]any{}}
}

func BenchmarkEncodeRequest(b *testing.B) {
	r := benchRequest()
	b.ReportAllocs()
	for b.Loop() {
		inner, err := encodeRequest(r)
		if err != nil {
			b.Fatal(err)
		}
		_ = wrapEnvelope(inner)
	}
}

func BenchmarkDecodeRequest(b *testing.B) {
	inner, err := encodeRequest(benchRequest())
	if err != nil {
		b.Fatal(err)
	}
	body := wrapEnvelope(inner)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeRequest(body); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeReply(b *testing.B) {
	inner, err := encodeReply(&Reply{Result: []byte("5"), Ending: true, MsgID: newUUIDHex(), UniqueID: newUUIDHex()})
	if err != nil {
		b.Fatal(err)
	}
	body := wrapEnvelope(inner)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeReply(body); err != nil {
			b.Fatal(err)
		}
	}
}

// unquoteASCII must read a string exactly as encoding/json does, or
// leave it to encoding/json.
func FuzzUnquoteASCIIAgreesWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`""`, `"a"`, `"{\"a\": \"b\\\\c\"}"`, `"\n"`, `"\t\/\b\f\r"`, `"\u00e9"`, `"a" "b"`, `"a`, `"é"`, `"\x"`, `"\"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, ok := unquoteASCII(raw)
		if !ok {
			return
		}
		var want string
		if err := json.Unmarshal(raw, &want); err != nil {
			t.Fatalf("unquoteASCII(%q) = %q, but encoding/json refuses it: %v", raw, got, err)
		}
		if string(got) != want {
			t.Fatalf("unquoteASCII(%q) = %q, want %q", raw, got, want)
		}
	})
}

// innerObject and decodeArgs read an inner message and its arguments
// without encoding/json's decoder; they must read what it reads: the
// same members with the same raw values, the same arguments (numbers as
// json.Number), and refuse what it refuses.
func FuzzInnerObjectAndArgsAgreeWithEncodingJSON(f *testing.F) {
	for _, s := range []string{`{}`, `{"a": 1}`, `{"a": 1, "a": 2}`, ` {"x" : -1.5e3 , "y":"\u00e9\n"} `,
		`{"k": {"b": [1, 2.0, null]}, "t": true, "f": false, "n": null}`, `{"\u0061": "é"}`, `{"a": "\xff"}`,
		`[1]`, `null`, `"s"`, `{"a": 1,}`, `{"a" 1}`, `{"a": 1} x`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, text []byte) {
		got, err := innerObject(text)
		var want map[string]json.RawMessage
		if werr := json.Unmarshal(text, &want); werr != nil || want == nil {
			if err == nil {
				t.Fatalf("innerObject(%q) = %q, but encoding/json refuses it (%v)", text, got, werr)
			}
			return
		}
		if err != nil {
			t.Fatalf("innerObject(%q): %v; encoding/json reads %q", text, err, want)
		}
		if len(got) != len(want) {
			t.Fatalf("innerObject(%q) = %q, want %q", text, got, want)
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Fatalf("innerObject(%q)[%q] = %q, want %q", text, k, got[k], v)
			}
		}

		args, err := decodeArgs(text)
		var wantArgs map[string]any
		if werr := unmarshalUseNumber(text, &wantArgs); werr != nil {
			t.Fatalf("encoding/json refuses %q as arguments (%v) after reading it as an object", text, werr)
		}
		if err != nil {
			t.Fatalf("decodeArgs(%q): %v", text, err)
		}
		if !reflect.DeepEqual(args, wantArgs) {
			t.Fatalf("decodeArgs(%q) = %#v, want %#v", text, args, wantArgs)
		}
	})
}
