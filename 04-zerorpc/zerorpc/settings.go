// What a [Server] and a [Client] share: Python's defaults, the
// settings their exported fields turn into, and message ids.

package zerorpc

import (
	"crypto/rand"
	"encoding/hex"
	"log"
	"sync/atomic"
	"time"
)

// Python's defaults: a heartbeat every 5 s on each open channel, and a
// call gives up after 30 s. DefaultAddr is the article's address, on
// 127.0.0.1 rather than 0.0.0.0 so that only this machine can call.
const (
	DefaultHeartbeat = 5 * time.Second
	DefaultTimeout   = 30 * time.Second
	DefaultAddr      = "tcp://127.0.0.1:4242"
)

// settings are a server's or a client's exported fields with the
// defaults filled in.
type settings struct {
	heartbeat time.Duration
	logger    *log.Logger
	limits    limits
}

func newSettings(heartbeat time.Duration, logger *log.Logger, lim limits) settings {
	if heartbeat <= 0 {
		heartbeat = DefaultHeartbeat
	}
	if logger == nil {
		logger = log.New(log.Writer(), "zerorpc: ", log.LstdFlags)
	}
	return settings{heartbeat: heartbeat, logger: logger, limits: lim}
}

// An idSource makes message ids the way Python does: 8 hex digits of
// a counter, then 24 hex digits of a random (uuid4-like) base, sent as
// 32 bytes of msgpack bin. The random base keeps ids unique across all
// the clients of a server, which keys channels by id.
type idSource struct {
	base    [24]byte
	counter atomic.Uint32
}

func newIDSource() *idSource {
	var raw [12]byte
	_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails on Linux
	s := &idSource{}
	hex.Encode(s.base[:], raw[:])
	return s
}

func (s *idSource) next() MessageID {
	n := s.counter.Add(1)
	var b [32]byte
	const digits = "0123456789abcdef"
	for i := 7; i >= 0; i-- {
		b[i] = digits[n&0xf]
		n >>= 4
	}
	copy(b[8:], s.base[:])
	return MessageID{Value: string(b[:])}
}
