package oslo

import "testing"

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
