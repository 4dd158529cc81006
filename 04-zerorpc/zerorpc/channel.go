// The channel layer. The first event of a call opens a channel named
// by its message_id; every later event of the call names it in
// response_to. A channel carries two mechanisms, the same on both
// sides of the wire, so both [Server] and [Client] use the code here:
//
//   - heartbeats: each side sends _zpc_hb on every open channel each
//     interval, and gives the channel up when the peer has been silent
//     for two intervals (three before its first event);
//   - credit: a sender may send only as many counted events (OK, ERR,
//     STREAM, STREAM_DONE) as the receiver granted with _zpc_more.

package zerorpc

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A clock is a channel's heartbeat clock: when we last heard from the
// peer and last sent to it, in Unix nanoseconds.
type clock struct {
	heard atomic.Int64
	sent  atomic.Int64
	ever  atomic.Bool // heard anything at all on this channel
}

// start sets both times to now, when the channel opens.
func (c *clock) start(now time.Time) {
	c.heard.Store(now.UnixNano())
	c.sent.Store(now.UnixNano())
}

// heardNow records a sign of life from the peer.
func (c *clock) heardNow() {
	c.heard.Store(time.Now().UnixNano())
	c.ever.Store(true)
}

// sentNow records that we just sent on the channel.
func (c *clock) sentNow() { c.sent.Store(time.Now().UnixNano()) }

// silence is how long the peer has said nothing, and whether that is
// too long: more than two intervals, or three before the peer's first
// event (Python's clock starts one interval in).
func (c *clock) silence(now time.Time, hb time.Duration) (time.Duration, bool) {
	silent := now.Sub(time.Unix(0, c.heard.Load()))
	limit := 2 * hb
	if !c.ever.Load() {
		limit = 3 * hb
	}
	return silent, silent > limit
}

// due reports whether a heartbeat is due: nothing sent for an interval.
func (c *clock) due(now time.Time, hb time.Duration) bool {
	return now.Sub(time.Unix(0, c.sent.Load())) >= hb
}

// A beater is an open channel as the heartbeat loop sees it.
type beater interface {
	clock() *clock
	beat()                     // send _zpc_hb [0]
	lost(silent time.Duration) // give the channel up
}

// heartbeatLoop keeps every open channel alive and gives up the silent
// ones, until ctx is done. It looks a fifth of an interval apart, so a
// heartbeat is never more than 20% late.
func heartbeatLoop(ctx context.Context, hb time.Duration, open func() []beater) {
	t := time.NewTicker(max(hb/5, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for _, ch := range open() {
				ck := ch.clock()
				if silent, tooLong := ck.silence(now, hb); tooLong {
					ch.lost(silent)
					continue
				}
				if ck.due(now, hb) {
					ch.beat()
				}
			}
		}
	}
}

// credit is the sending side of flow control: how many counted events
// the peer is ready to receive. It starts at 1.
type credit struct {
	mu   sync.Mutex
	n    int
	more chan struct{}
}

func newCredit() *credit { return &credit{n: 1, more: make(chan struct{}, 1)} }

// grant adds the n of a _zpc_more [n] event.
func (c *credit) grant(n int) {
	if n <= 0 {
		return
	}
	c.mu.Lock()
	c.n += n
	c.mu.Unlock()
	select {
	case c.more <- struct{}{}:
	default:
	}
}

// take blocks until the peer can take one more event, or ctx ends.
func (c *credit) take(ctx context.Context) error {
	for {
		c.mu.Lock()
		if c.n > 0 {
			c.n--
			c.mu.Unlock()
			return nil
		}
		c.mu.Unlock()
		select {
		case <-c.more:
		case <-ctx.Done():
			return context.Cause(ctx)
		}
	}
}

// giveBack returns a credit taken for an event that was never sent.
func (c *credit) giveBack() {
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

// Python's flow control for the receiving side: a queue of 100 events;
// more credit is asked for when fewer than 50 are reserved.
const (
	inqueueSize = 100
	refillBelow = inqueueSize / 2
)

// A window is the receiving side of flow control, used only by the
// goroutine reading the channel's events.
type window struct {
	reserved int  // events the peer may still send us
	started  bool // the first event has been asked for
}

// next is called before reading each event; it returns the credit to
// grant first, or 0. Like Python's BufferedChannel.recv, it grants
// nothing before the first event, then tops the window up to 100 when
// fewer than 50 remain.
func (w *window) next() (grant int) {
	if !w.started {
		w.started = true
		w.reserved = 1
	} else if w.reserved < refillBelow {
		grant = inqueueSize - w.reserved
		w.reserved += grant
	}
	w.reserved--
	return grant
}
