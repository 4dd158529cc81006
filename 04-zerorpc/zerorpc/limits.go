// Limits on what a peer may make us allocate. ZMTP is a
// length-prefixed protocol: every frame starts with the size of what
// follows, up to 2^64 bytes. A reader that believes the size and
// allocates it before reading a byte hands its memory to whoever
// connects, so every size is checked against a cap first, and a body
// grows only as its bytes arrive.

package zerorpc

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"slices"
)

// The default limits of a [Server] and a [Dialer]; a zero field means
// its default.
const (
	// DefaultMaxMessageSize caps one ZMTP message: the sum of its
	// frames. zerorpc messages are one event each, usually well under
	// a kilobyte.
	DefaultMaxMessageSize = 64 << 20
	// DefaultMaxHandshakeSize caps the ZMTP handshake after the
	// greeting (the READY command and its metadata: a socket type and
	// an identity, a few dozen bytes from libzmq) and every later
	// command (PING, PONG).
	DefaultMaxHandshakeSize = 4 << 10
	// DefaultMaxDepth caps how deeply msgpack arrays and maps may nest
	// in an event. The decoders recurse once per level.
	DefaultMaxDepth = 256
	// DefaultMaxCallsPerConn caps the calls in flight on one server
	// connection: a client needs one per goroutine calling at once.
	DefaultMaxCallsPerConn = 1024
)

// frameOverhead is what each frame costs against the message cap on
// top of its bytes: a flood of empty frames still costs memory (a
// slice header each), so it must not be free.
const frameOverhead = 32

// ErrTooLarge wraps every error about a peer exceeding a limit: a
// frame, message or command bigger than its cap, or msgpack nested
// too deeply. The connection is closed (or the event dropped).
var ErrTooLarge = errors.New("zerorpc: over the limit")

// limits are the caps of one connection, defaults filled in.
type limits struct {
	maxMessage   uint64
	maxHandshake uint64
	maxDepth     int
}

func newLimits(maxMessage, maxHandshake, maxDepth int) limits {
	l := limits{maxMessage: DefaultMaxMessageSize, maxHandshake: DefaultMaxHandshakeSize, maxDepth: DefaultMaxDepth}
	if maxMessage > 0 {
		l.maxMessage = uint64(maxMessage)
	}
	if maxHandshake > 0 {
		l.maxHandshake = uint64(maxHandshake)
	}
	if maxDepth > 0 {
		l.maxDepth = maxDepth
	}
	return l
}

// ZMTP frame flags.
const (
	flagMore    = 0x01
	flagLong    = 0x02
	flagCommand = 0x04
)

// greetingSize is the fixed size of a ZMTP 3 greeting.
const greetingSize = 64

// A handshakeGuard watches the bytes go-zeromq/zmq4 reads during the
// handshake. zmq4 allocates a frame's announced size as soon as it has
// read the frame header, so the guard parses the ZMTP framing as the
// bytes stream past and fails the read that would complete a header
// announcing more than the cap: zmq4 never sees that size.
type handshakeGuard struct {
	max      uint64 // per frame, and for all frames together
	greeting int    // greeting bytes still to pass
	hdr      [9]byte
	hdrLen   int
	body     uint64 // body bytes still to pass
	total    uint64
}

func newHandshakeGuard(max uint64) *handshakeGuard {
	return &handshakeGuard{max: max, greeting: greetingSize}
}

// check looks at the next bytes of the stream, in order.
func (g *handshakeGuard) check(b []byte) error {
	for len(b) > 0 {
		switch {
		case g.greeting > 0:
			n := min(g.greeting, len(b))
			g.greeting -= n
			b = b[n:]
		case g.body > 0:
			n := min(g.body, uint64(len(b)))
			g.body -= n
			b = b[n:]
		default:
			g.hdr[g.hdrLen] = b[0]
			g.hdrLen++
			b = b[1:]
			size, ok := parseFrameHeader(g.hdr[:g.hdrLen])
			if !ok {
				continue
			}
			g.hdrLen = 0
			g.total += size + frameOverhead
			if size > g.max || g.total > g.max+frameOverhead {
				return fmt.Errorf("%w: handshake frame of %d bytes (cap %d)", ErrTooLarge, size, g.max)
			}
			g.body = size
		}
	}
	return nil
}

// parseFrameHeader reads a frame header, flags then a 1-byte or
// 8-byte size; ok is false while hdr is still incomplete.
func parseFrameHeader(hdr []byte) (size uint64, ok bool) {
	if hdr[0]&flagLong == 0 {
		if len(hdr) < 2 {
			return 0, false
		}
		return uint64(hdr[1]), true
	}
	if len(hdr) < 9 {
		return 0, false
	}
	return binary.BigEndian.Uint64(hdr[1:9]), true
}

// readChunk is how much of a frame body is allocated before any of it
// has arrived; a bigger body grows as its bytes come in.
const readChunk = 64 << 10

// readBody reads a body of size bytes. Memory follows the bytes
// actually received (at most twice as many, plus one chunk), not the
// size announced: a peer that announces 64 MiB and sends one byte
// costs us 64 KiB.
func readBody(r io.Reader, size uint64) ([]byte, error) {
	if size <= readChunk {
		b := make([]byte, size)
		_, err := io.ReadFull(r, b)
		return b, err
	}
	b := make([]byte, 0, readChunk)
	for uint64(len(b)) < size {
		if len(b) == cap(b) {
			grow := min(size-uint64(len(b)), uint64(cap(b)))
			b = slices.Grow(b, int(grow))
		}
		end := min(uint64(cap(b)), size)
		n, err := io.ReadFull(r, b[len(b):end])
		b = b[:len(b)+n]
		if err != nil {
			return nil, err
		}
	}
	return b, nil
}
