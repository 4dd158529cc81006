package main

import (
	"bytes"
	"encoding/binary"
	"testing"
)

// The exchange's routing decision, as the page draws it, follows
// RabbitMQ's topic rules: "*" is one word, "#" zero or more.
func TestTopicBindingsMatchAsRabbitMQMatchesThem(t *testing.T) {
	for _, c := range []struct {
		pattern, key string
		want         bool
	}{
		{"kern.*", "kern.info", true},
		{"kern.*", "kern", false},
		{"kern.*", "kern.disk.full", false},
		{"kern.#", "kern", true},
		{"kern.#", "kern.disk.full", true},
		{"*.critical", "auth.critical", true},
		{"*.critical", "cron.daily", false},
		{"#", "", true},
		{"a.#.z", "a.z", true},
		{"a.#.z", "a.b.c.z", true},
		{"a.#.z", "a.b.c", false},
	} {
		if got := topicMatch(c.pattern, c.key); got != c.want {
			t.Errorf("topicMatch(%q, %q) = %v; want %v", c.pattern, c.key, got, c.want)
		}
	}
}

// amqpFrame writes one AMQP frame.
func amqpFrame(typ byte, channel uint16, payload []byte) []byte {
	b := []byte{typ, 0, 0, 0, 0, 0, 0}
	binary.BigEndian.PutUint16(b[1:], channel)
	binary.BigEndian.PutUint32(b[3:], uint32(len(payload)))
	return append(append(b, payload...), 0xCE)
}

func shortstr(s string) []byte { return append([]byte{byte(len(s))}, s...) }

// publishFrames is a Basic.Publish of body to exchange with key, with a
// content type and a header, as a client sends it: method, content
// header, body.
func publishFrames(exchange, key, body string) []byte {
	method := []byte{0, 60, 0, 40, 0, 0}
	method = append(append(append(method, shortstr(exchange)...), shortstr(key)...), 0)
	table := append(shortstr("x-try"), 'I', 0, 0, 0, 2)
	header := []byte{0, 60, 0, 0}
	header = binary.BigEndian.AppendUint64(header, uint64(len(body)))
	header = append(header, 0x80|0x20, 0) // content-type, headers
	header = append(header, shortstr("text/plain")...)
	header = binary.BigEndian.AppendUint32(header, uint32(len(table)))
	header = append(header, table...)
	var b []byte
	b = append(b, amqpFrame(1, 1, method)...)
	b = append(b, amqpFrame(2, 1, header)...)
	return append(b, amqpFrame(3, 1, []byte(body))...)
}

// The tap reads a publish however the bytes are cut on the way: the
// page gets the exchange, the key, the properties and the body.
func TestAMQPTapReadsAPublishCutAnywhere(t *testing.T) {
	wire := append([]byte("AMQP\x00\x00\x09\x01"), publishFrames("logs", "kern.info", "disk full")...)
	for cut := 1; cut < len(wire); cut += 7 {
		h := newHub()
		tap := &amqpTap{h: h, kick: make(chan struct{}, 1), exchanges: map[string]string{},
			queues: map[string]bool{}, consumers: map[string]string{}}
		tap.reset()
		c := &amqpConn{t: tap, id: 1, declares: map[uint16]queueDeclare{}, consumes: map[uint16]string{}, tags: map[uint16][]string{}}
		s := &frameStream{skip: 8, onFrame: func(f frame) { c.frame(true, f) }}
		for b := wire; len(b) > 0; {
			n := min(cut, len(b))
			s.feed(b[:n])
			b = b[n:]
		}
		var got *event
		for _, e := range h.events() {
			if e.Kind == kindMsg {
				got = &e
			}
		}
		if got == nil {
			t.Fatalf("cut every %d bytes: no publish drawn; events %+v", cut, h.events())
		}
		if got.Bytes != "disk full" || got.Props["exchange"] != "logs" || got.Props["routing-key"] != "kern.info" ||
			got.Props["content-type"] != "text/plain" || got.Props["headers"] != "{x-try: 2}" {
			t.Fatalf("cut every %d bytes: %+v", cut, got)
		}
	}
}

// Whatever a peer sends, the tap's reader neither panics nor holds on
// to more than one frame's worth of bytes.
func FuzzAMQPTapFrames(f *testing.F) {
	f.Add(publishFrames("logs", "kern.info", "disk full"))
	f.Add(amqpFrame(1, 0, []byte{0, 60, 0, 60, 3, 'a', 'b', 'c'}))
	f.Add(amqpFrame(2, 1, []byte{0, 60, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x20, 0, 0, 0, 0, 5, 'k', 'A', 0, 0}))
	f.Fuzz(func(t *testing.T, b []byte) {
		tap := &amqpTap{h: newHub(), kick: make(chan struct{}, 1), exchanges: map[string]string{},
			queues: map[string]bool{}, consumers: map[string]string{}}
		tap.reset()
		c := &amqpConn{t: tap, id: 1, declares: map[uint16]queueDeclare{}, consumes: map[uint16]string{}, tags: map[uint16][]string{}}
		for _, toBroker := range []bool{true, false} {
			s := &frameStream{onFrame: func(f frame) { c.frame(toBroker, f) }}
			s.feed(b)
			s.feed(bytes.Repeat(b, 2))
			if len(s.buf) > maxFrame+8 {
				t.Fatalf("reader holds %d bytes", len(s.buf))
			}
		}
	})
}
