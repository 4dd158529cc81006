// Options shared by `Client` and `Server`, with Python's defaults.

package zerorpc

import (
	"crypto/rand"
	"encoding/hex"
	"io"
	"log"
	"sync/atomic"
	"time"
)

// Python's defaults: a heartbeat every 5 s on each open channel, and a
// call gives up after 30 s.
const (
	DefaultHeartbeat = 5 * time.Second
	DefaultTimeout   = 30 * time.Second
)

type options struct {
	heartbeat time.Duration
	timeout   time.Duration
	name      string
	logger    *log.Logger
	limits    limits
}

func newOptions(opts []Option) options {
	o := options{
		heartbeat: DefaultHeartbeat,
		timeout:   DefaultTimeout,
		logger:    log.New(log.Writer(), "zerorpc: ", log.LstdFlags),
		limits:    newLimits(0, 0, 0),
	}
	for _, opt := range opts {
		opt(&o)
	}
	return o
}

// An `Option` configures a `Client` or a `Server`.
type Option func(*options)

// `WithHeartbeat` sets the heartbeat interval. Both sides should use
// the same one: a peer silent for twice the interval is declared lost.
func WithHeartbeat(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.heartbeat = d
		}
	}
}

// `WithTimeout` sets a client's default per-call timeout.
func WithTimeout(d time.Duration) Option {
	return func(o *options) {
		if d > 0 {
			o.timeout = d
		}
	}
}

// `WithName` sets the name a server reports to `_zerorpc_name`,
// `_zerorpc_ping` and `_zerorpc_inspect` (Python uses the class name).
func WithName(name string) Option {
	return func(o *options) { o.name = name }
}

// `WithLogger` chooses where dropped events and failures are logged;
// `nil` silences them.
func WithLogger(l *log.Logger) Option {
	return func(o *options) {
		if l == nil {
			l = log.New(io.Discard, "", 0)
		}
		o.logger = l
	}
}

// An `idSource` makes message ids the way Python does: 8 hex digits of
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
