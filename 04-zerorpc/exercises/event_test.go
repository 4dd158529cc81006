//go:build exercises

package exercises_test

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"testing"

	"github.com/vmihailenco/msgpack/v5"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func TestEncodeRequestWritesPythonsBytes(t *testing.T) {
	raw, err := os.ReadFile("../testdata/zerorpc-vectors.json")
	if err != nil {
		t.Fatal(err)
	}
	var vectors struct {
		Calls []struct {
			Call    string
			Request struct{ Hex string }
		}
	}
	if err := json.Unmarshal(raw, &vectors); err != nil {
		t.Fatal(err)
	}
	for _, v := range vectors.Calls {
		want, err := hex.DecodeString(v.Request.Hex)
		if err != nil || len(want) == 0 {
			continue
		}
		ev, err := zerorpc.UnmarshalEvent(want)
		if err != nil {
			t.Fatalf("%s: %v", v.Call, err)
		}
		if ev.Header.MessageID.Str {
			continue // a str id, as zerorpc-node sends: not Python's request
		}
		var args []any
		if err := msgpack.Unmarshal(ev.Args.(msgpack.RawMessage), &args); err != nil {
			t.Fatalf("%s: args: %v", v.Call, err)
		}
		got, err := exercises.EncodeRequest([]byte(ev.Header.MessageID.Value), ev.Name, args...)
		if err != nil {
			t.Fatalf("EncodeRequest for %s returned the error %q.\nLook at event.go.", v.Call, err)
		}
		if string(got) != string(want) {
			t.Fatalf("EncodeRequest for %s:\n got  %x\n want %x (zerorpc-python's bytes)\n"+
				"Read both as msgpack: 93 is an array of 3, 82 a map of 2, aa a 10-byte str (message_id), "+
				"c4 20 a 32-byte bin (the id), a1 76 the str v, 03 the int 3.", v.Call, got, want)
		}
	}
}
