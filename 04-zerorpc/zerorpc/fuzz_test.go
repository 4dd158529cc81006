// Fuzzing the event decoder: whatever the bytes, it returns an event
// or an error wrapping ErrBadEvent, never panics, and what it
// accepts encodes back to an event with the same header and name.

package zerorpc_test

import (
	"errors"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func FuzzUnmarshalEvent(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Calls {
		f.Add(unhex(f, c.Request.Hex))
		if c.Reply.Hex != "" {
			f.Add(unhex(f, c.Reply.Hex))
		}
	}
	for _, h := range v.ChannelEvents {
		f.Add(unhex(f, h))
	}
	f.Add([]byte{})
	f.Add([]byte{0xc1})
	f.Add([]byte{0x93, 0x80, 0xa0, 0xc0})
	f.Add([]byte{0xdd, 0xff, 0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, payload []byte) {
		ev, err := zerorpc.UnmarshalEvent(payload)
		if err != nil {
			if !errors.Is(err, zerorpc.ErrBadEvent) {
				t.Fatalf("error does not wrap ErrBadEvent: %v", err)
			}
			return
		}
		again, err := zerorpc.MarshalEvent(ev)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", ev, err)
		}
		back, err := zerorpc.UnmarshalEvent(again)
		if err != nil {
			t.Fatalf("decode re-encoded %x: %v", again, err)
		}
		if back.Header.MessageID != ev.Header.MessageID ||
			back.Header.ResponseTo != ev.Header.ResponseTo ||
			back.Name != ev.Name {
			t.Fatalf("round trip changed %+v into %+v", ev, back)
		}
	})
}
