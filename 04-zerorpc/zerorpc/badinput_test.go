// Bad input is logged and dropped; the server keeps serving. And the
// traps of the wire format: ids echoed in their msgpack type, never an
// empty traceback.

package zerorpc_test

import (
	"bytes"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/vmihailenco/msgpack/v5"
)

func mustPack(t *testing.T, v any) []byte {
	t.Helper()
	b, err := msgpack.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestBadInputIsDroppedAndServerKeepsServing(t *testing.T) {
	s := startServer(t, &testService{})
	p := newRawPeer(t, s.Endpoint())
	bad := map[string][]byte{
		"not msgpack":          {0xc1, 0xff, 0x00},
		"empty payload":        {},
		"not an array":         mustPack(t, "add"),
		"array of two":         mustPack(t, []any{map[string]any{"message_id": "x", "v": 3}, "add"}),
		"array of four":        mustPack(t, []any{map[string]any{"message_id": "x", "v": 3}, "add", []any{1, 2}, 0}),
		"header not a map":     mustPack(t, []any{"header", "add", []any{1, 2}}),
		"header int key":       mustPack(t, []any{map[int]any{1: "x"}, "add", []any{1, 2}}),
		"message_id an int":    mustPack(t, []any{map[string]any{"message_id": 7, "v": 3}, "add", []any{1, 2}}),
		"v a string":           mustPack(t, []any{map[string]any{"message_id": "x", "v": "3"}, "add", []any{1, 2}}),
		"no message_id":        mustPack(t, []any{map[string]any{"v": 3}, "add", []any{1, 2}}),
		"name an int":          mustPack(t, []any{map[string]any{"message_id": "x", "v": 3}, 42, []any{1, 2}}),
		"trailing bytes":       append(mustPack(t, []any{map[string]any{"message_id": "x", "v": 3}, "add", []any{1, 2}}), 0x00),
		"truncated":            mustPack(t, []any{map[string]any{"message_id": "x", "v": 3}, "add", []any{1, 2}})[:10],
		"unknown response_to":  mustPack(t, []any{map[string]any{"message_id": "x", "v": 3, "response_to": "nobody"}, "_zpc_hb", []any{0}}),
		"huge array length":    {0xdd, 0xff, 0xff, 0xff, 0xff},
		"deeply nested header": append(bytes.Repeat([]byte{0x91}, 5000), 0xc0),
	}
	for name, payload := range bad {
		t.Log("sending:", name)
		p.sendPayload(t, payload)
	}
	p.none(t, 300*time.Millisecond)
	// Args that are not an array reach the method's argument check.
	id := zerorpc.MessageID{Value: "not-an-array"}
	p.send(t, &zerorpc.Event{Header: zerorpc.Header{MessageID: id}, Name: "add", Args: 5})
	if ev := p.expect(t); ev == nil || ev.Name != "ERR" {
		t.Errorf("args 5: got %+v, want ERR", ev)
	}
	// A connection that does not speak ZMTP at all is closed.
	nc, err := net.Dial("tcp", strings.TrimPrefix(s.Endpoint(), "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	http := "GET / HTTP/1.1\r\nHost: zerorpc\r\nUser-Agent: a browser that got lost\r\n\r\n"
	if _, err := nc.Write([]byte(http)); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(patience(t)))
	if _, err := io.ReadAll(nc); err != nil {
		t.Errorf("the server did not close a non-ZMTP connection: %v", err)
	}
	// The same peer, and another client, are still served.
	p.send(t, request(zerorpc.MessageID{Value: "after-garbage"}, "add", 2, 3))
	if ev := p.expect(t); ev == nil || ev.Name != "OK" {
		t.Fatalf("after bad input: %+v", ev)
	}
	c := dial(t, s.Endpoint())
	if v, err := c.Call(t.Context(), "add", 2, 3); err != nil || v != int64(5) {
		t.Errorf("other client: %v, %v", v, err)
	}
}

// A reply echoes the request id in its msgpack type (bin stays bin,
// str stays str), and its header is message_id (32-byte bin), v,
// response_to, in that order.
func TestReplyEchoesIDType(t *testing.T) {
	s := startServer(t, &testService{})
	p := newRawPeer(t, s.Endpoint())
	for _, id := range []zerorpc.MessageID{
		{Value: "00000001aaaaaaaaaaaaaaaaaaaaaaaa"},
		{Value: "00000006-str-msgid", Str: true},
	} {
		p.send(t, request(id, "add", 1, 2))
		frames := <-p.frames
		payload := frames[len(frames)-1]
		ev, err := zerorpc.UnmarshalEvent(payload)
		if err != nil {
			t.Fatal(err)
		}
		if ev.Header.ResponseTo != id || ev.Name != "OK" {
			t.Errorf("reply to %+v: %+v", id, ev.Header)
		}
		// 93 = array of 3; 83 = map of 3; aa "message_id"; c4 20 = bin 32.
		prefix := append([]byte{0x93, 0x83, 0xaa}, "message_id\xc4\x20"...)
		if !bytes.HasPrefix(payload, prefix) {
			t.Errorf("reply starts % x", payload[:16])
		}
		if !bytes.Contains(payload, []byte("\xa1v\x03\xabresponse_to")) {
			t.Errorf("header order: % x", payload)
		}
	}
	// ERR: the traceback is nil (0xc0), never "".
	p.send(t, request(zerorpc.MessageID{Value: "err"}, "nosuch"))
	frames := <-p.frames
	payload := frames[len(frames)-1]
	if !bytes.HasSuffix(payload, []byte("\xa3ERR\x93\xa9NameError\xa6nosuch\xc0")) {
		t.Errorf("ERR payload % x", payload)
	}
}

// A client drops what it cannot route (garbage, a reply for a call
// it never made, a str id where it sent bin) and still gets its answer.
func TestClientDropsUnroutableReplies(t *testing.T) {
	endpoint := startScriptedRouter(t, func(req *zerorpc.Event) [][]byte {
		reply := func(to zerorpc.MessageID, name string, args any) []byte {
			b, err := zerorpc.MarshalEvent(onChannel(zerorpc.MessageID{Value: "r"}, to, name, args))
			if err != nil {
				t.Error(err)
			}
			return b
		}
		wrongType := req.Header.MessageID
		wrongType.Str = !wrongType.Str
		return [][]byte{
			{0xc1},
			reply(zerorpc.MessageID{Value: "nobody"}, "OK", []any{1}),
			reply(wrongType, "OK", []any{2}),
			reply(req.Header.MessageID, "OK", []any{3}),
		}
	})
	c := dial(t, endpoint)
	if v, err := c.Call(t.Context(), "add", 1, 2); err != nil || v != int64(3) {
		t.Fatalf("got %v, %v; want 3", v, err)
	}
}

// A peer whose ZMTP handshake is malformed (a READY command whose
// metadata is cut short) loses its connection; the server lives on.
func TestMalformedHandshakeCostsOneConnection(t *testing.T) {
	s := startServer(t, &testService{})
	nc, err := net.Dial("tcp", strings.TrimPrefix(s.Endpoint(), "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	greeting := make([]byte, 64)
	greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
	copy(greeting[12:], "NULL")
	ready := append([]byte{0x05}, "READY"...)
	ready = append(ready, 0x05, 'a', 'b', 'c', 'd', 'e') // key of 5, then no value length
	frame := append([]byte{0x04, byte(len(ready))}, ready...)
	if _, err := nc.Write(append(greeting, frame...)); err != nil {
		t.Fatal(err)
	}
	_ = nc.SetReadDeadline(time.Now().Add(patience(t)))
	if _, err := io.ReadAll(nc); err != nil {
		t.Errorf("the connection was not closed: %v", err)
	}
	c := dial(t, s.Endpoint())
	if v, err := c.Call(t.Context(), "add", 2, 3); err != nil || v != int64(5) {
		t.Errorf("after a malformed handshake: %v, %v", v, err)
	}
}
