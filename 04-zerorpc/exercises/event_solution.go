//go:build solutions

package exercises

import (
	"bytes"

	"github.com/vmihailenco/msgpack/v5"
)

// EncodeRequest writes a zerorpc request event by hand, byte for byte
// as zerorpc-python writes it.
func EncodeRequest(id []byte, method string, args ...any) ([]byte, error) {
	var buf bytes.Buffer
	enc := msgpack.NewEncoder(&buf)
	enc.UseCompactInts(true)
	if args == nil {
		args = []any{}
	}
	for _, step := range []func() error{
		func() error { return enc.EncodeArrayLen(3) },
		func() error { return enc.EncodeMapLen(2) },
		func() error { return enc.EncodeString("message_id") },
		func() error { return enc.EncodeBytes(id) },
		func() error { return enc.EncodeString("v") },
		func() error { return enc.EncodeInt(3) },
		func() error { return enc.EncodeString(method) },
		func() error { return enc.Encode(args) },
	} {
		if err := step(); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}
