// Fuzzing the ZMTP framing layer: the handshake guard, the handshake
// itself (go-zeromq/zmq4 behind the guard) and the frame reader.
// Whatever a peer sends, nothing panics, nothing hangs, no frame or
// message over its cap gets through, and memory follows the bytes
// received.

package zerorpc

import (
	"bufio"
	"bytes"
	"encoding/binary"
	"io"
	"net"
	"runtime"
	"testing"

	"github.com/go-zeromq/zmq4"
)

// zmtpSeeds are a valid DEALER greeting and READY, and what hostile
// peers sent: a READY announcing 1 TiB, a READY cut short, frames.
func zmtpSeeds() [][]byte {
	greeting := make([]byte, greetingSize)
	greeting[0], greeting[9], greeting[10] = 0xff, 0x7f, 3
	copy(greeting[12:], "NULL")
	ready := append([]byte{5}, "READY"...)
	ready = append(ready, 11)
	ready = append(ready, "Socket-Type"...)
	ready = binary.BigEndian.AppendUint32(ready, 6)
	ready = append(ready, "DEALER"...)
	valid := append(append([]byte{}, greeting...), 0x04, byte(len(ready)))
	valid = append(valid, ready...)
	huge := append(append([]byte{}, greeting...), 0x06, 0, 0, 1, 0, 0, 0, 0, 0)
	short := append(append([]byte{}, greeting...), 0x04, 12)
	short = append(short, append([]byte{5}, "READY\x05abcde"...)...)
	msg := append(append([]byte{}, valid...), 0x01, 0, 0x00, 3, 0x93, 0x80, 0xc0)
	longMsg := append(append([]byte{}, valid...), 0x03, 0, 0, 0, 0, 4, 0, 0, 0, 0x61)
	return [][]byte{valid, huge, short, msg, longMsg, greeting, {}}
}

// acceptedPrefixOK parses a stream the guard let through, offset by
// offset, and checks every complete frame header against the cap.
func acceptedPrefixOK(t *testing.T, b []byte, max uint64) {
	t.Helper()
	if len(b) <= greetingSize {
		return
	}
	b = b[greetingSize:]
	var total uint64
	for len(b) > 0 {
		size, ok := parseFrameHeader(b[:min(len(b), 9)])
		if !ok {
			return
		}
		hdr := 2
		if b[0]&flagLong != 0 {
			hdr = 9
		}
		total += size + frameOverhead
		if size > max || total > max+frameOverhead {
			t.Fatalf("the guard let through a header announcing %d bytes (total %d, cap %d)", size, total, max)
		}
		if uint64(len(b)-hdr) < size {
			return
		}
		b = b[hdr+int(size):]
	}
}

func FuzzHandshakeGuard(f *testing.F) {
	for _, s := range zmtpSeeds() {
		f.Add(s, uint8(7))
	}
	f.Fuzz(func(t *testing.T, data []byte, chunk uint8) {
		const max = 64
		// Byte by byte: find how far the guard lets the stream go.
		g := newHandshakeGuard(max)
		accepted := len(data)
		for i := range data {
			if g.check(data[i:i+1]) != nil {
				accepted = i
				break
			}
		}
		acceptedPrefixOK(t, data[:accepted], max)
		// In chunks: the guard must refuse in the same chunk.
		g = newHandshakeGuard(max)
		step := int(chunk%32) + 1
		for i := 0; i < len(data); i += step {
			end := min(i+step, len(data))
			err := g.check(data[i:end])
			if refused := accepted < end; (err != nil) != refused {
				t.Fatalf("chunk [%d:%d]: error %v, but byte by byte the guard stops at %d", i, end, err, accepted)
			}
			if err != nil {
				break
			}
		}
	})
}

func FuzzHandshake(f *testing.F) {
	for _, s := range zmtpSeeds() {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		server, peer := net.Pipe()
		go func() { _, _ = io.Copy(io.Discard, peer) }()
		go func() {
			_, _ = peer.Write(data)
			peer.Close()
		}()
		c, err := openConn(server, zmq4.Router, true, newLimits(0, 256, 0))
		if err == nil {
			for {
				if _, err := c.recv(); err != nil {
					break
				}
			}
			c.Close()
		}
		server.Close()
	})
}

func FuzzReadMessage(f *testing.F) {
	for _, s := range zmtpSeeds() {
		if len(s) > greetingSize {
			f.Add(s[greetingSize:])
		}
	}
	f.Add([]byte{0x03, 0, 0, 0, 0, 4, 0, 0, 0, 0x61})    // announces 64 MiB, sends 1 byte
	f.Add([]byte{0x06, 0xff, 0, 0, 0, 0, 0, 0, 0, 0x61}) // a command of 2^63 bytes
	f.Add(bytes.Repeat([]byte{0x01, 0}, 100))            // empty MORE frames
	f.Fuzz(func(t *testing.T, data []byte) {
		lim := newLimits(1<<20, 256, 0)
		readAll := func() {
			c := &zconn{r: bufio.NewReader(bytes.NewReader(data)), limits: lim}
			for {
				frames, cmd, err := c.readMsg()
				if err != nil {
					return
				}
				var total uint64
				for _, fr := range frames {
					total += uint64(len(fr)) + frameOverhead
				}
				if cmd && total > lim.maxHandshake+frameOverhead || !cmd && total > lim.maxMessage {
					t.Fatalf("read a message of %d bytes (command %v) past its cap", total, cmd)
				}
			}
		}
		// Memory follows the bytes received: twice as many at most,
		// plus one chunk per frame being read and the bufio buffer.
		// TotalAlloc counts the whole process, so take the least of
		// three runs: noise from other goroutines does not repeat.
		limit := uint64(4*len(data)) + 2*readChunk + 64<<10
		grew := uint64(1<<64 - 1)
		for range 3 {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			readAll()
			runtime.ReadMemStats(&after)
			grew = min(grew, after.TotalAlloc-before.TotalAlloc)
			if grew <= limit {
				return
			}
		}
		t.Fatalf("%d bytes of input allocated %d bytes", len(data), grew)
	})
}
