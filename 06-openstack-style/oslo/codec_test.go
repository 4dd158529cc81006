package oslo

import (
	"encoding/json"
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
