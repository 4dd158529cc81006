// A msgpack pre-scan. The msgpack decoders we use (and Skip, which
// steps over a header key we do not know) recurse once per level of
// nesting: 4.6 million nested arrays, a 4.6 MB frame, exhaust a
// goroutine's 1 GB stack and kill the process, which no recover can
// catch. So before decoding, one loop with an explicit stack walks the
// bytes and refuses what is nested too deeply, or announces more items
// than bytes are left.

package zerorpc

import (
	"encoding/binary"
	"errors"
	"fmt"
)

var errShort = errors.New("msgpack: unexpected end of data")

// checkMsgpack walks the first msgpack value in b without recursion.
// It fails if arrays and maps nest deeper than maxDepth, if a
// container announces more items than bytes remain (every item takes
// at least one byte), or if the data ends early.
func checkMsgpack(b []byte, maxDepth int) error {
	stack := make([]uint64, 1, 16) // items left to read at each level
	stack[0] = 1
	for len(stack) > 0 {
		top := len(stack) - 1
		if stack[top] == 0 {
			stack = stack[:top]
			continue
		}
		stack[top]--
		if len(b) == 0 {
			return errShort
		}
		skip, items, err := msgpackItem(b)
		if err != nil {
			return err
		}
		if uint64(len(b)) < skip {
			return errShort
		}
		b = b[skip:]
		if items < 0 {
			continue
		}
		if uint64(items) > uint64(len(b)) {
			return fmt.Errorf("msgpack: %d items announced, %d bytes left", items, len(b))
		}
		if len(stack) > maxDepth {
			return fmt.Errorf("%w: msgpack nested deeper than %d levels", ErrTooLarge, maxDepth)
		}
		stack = append(stack, uint64(items))
	}
	return nil
}

// msgpackItem decodes the head of one msgpack value: how many bytes
// the head and any payload take (skip), and for an array or map how
// many items follow (items, a map counting keys and values), else -1.
func msgpackItem(b []byte) (skip uint64, items int64, err error) {
	c := b[0]
	switch {
	case c <= 0x7f || c >= 0xe0 || c == 0xc0 || c == 0xc2 || c == 0xc3:
		return 1, -1, nil // fixint, nil, false, true
	case c >= 0x80 && c <= 0x8f:
		return 1, 2 * int64(c&0x0f), nil // fixmap
	case c >= 0x90 && c <= 0x9f:
		return 1, int64(c & 0x0f), nil // fixarray
	case c >= 0xa0 && c <= 0xbf:
		return 1 + uint64(c&0x1f), -1, nil // fixstr
	}
	switch c {
	case 0xc4, 0xd9: // bin8, str8
		return sized(b, 1, 0)
	case 0xc5, 0xda: // bin16, str16
		return sized(b, 2, 0)
	case 0xc6, 0xdb: // bin32, str32
		return sized(b, 4, 0)
	case 0xc7: // ext8: length, type, data
		return sized(b, 1, 1)
	case 0xc8:
		return sized(b, 2, 1)
	case 0xc9:
		return sized(b, 4, 1)
	case 0xca, 0xce, 0xd2: // float32, uint32, int32
		return 5, -1, nil
	case 0xcb, 0xcf, 0xd3: // float64, uint64, int64
		return 9, -1, nil
	case 0xcc, 0xd0: // uint8, int8
		return 2, -1, nil
	case 0xcd, 0xd1: // uint16, int16
		return 3, -1, nil
	case 0xd4, 0xd5, 0xd6, 0xd7, 0xd8: // fixext 1, 2, 4, 8, 16
		return 2 + 1<<(c-0xd4), -1, nil
	case 0xdc, 0xdd, 0xde, 0xdf: // array16, array32, map16, map32
		width := 2 << ((c - 0xdc) & 1)
		if len(b) < 1+width {
			return 0, 0, errShort
		}
		n := int64(readUint(b[1 : 1+width]))
		if c >= 0xde {
			n *= 2
		}
		return 1 + uint64(width), n, nil
	}
	return 0, 0, fmt.Errorf("msgpack: unknown code %#x", c)
}

// sized is a head with a width-byte length, then extra bytes, then
// the payload.
func sized(b []byte, width, extra int) (uint64, int64, error) {
	if len(b) < 1+width {
		return 0, 0, errShort
	}
	n := readUint(b[1 : 1+width])
	return 1 + uint64(width+extra) + n, -1, nil
}

func readUint(b []byte) uint64 {
	switch len(b) {
	case 1:
		return uint64(b[0])
	case 2:
		return uint64(binary.BigEndian.Uint16(b))
	default:
		return uint64(binary.BigEndian.Uint32(b))
	}
}
