// A broker that is not up yet, for tests of a client's first connection.

package broker

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// Starting is a TCP proxy in front of a broker that is still starting.
// Until [Starting.Up] is called it accepts each connection and resets it at
// once, as a RabbitMQ that is not yet accepting does ("connection reset by
// peer"); then it forwards connections to the broker at its target. Tests
// of a client's first connection use it to show that the client retries,
// and gives up after its bound.
type Starting struct {
	ln     net.Listener
	target string // the broker's host:port; "" means it never comes up
	up     atomic.Bool
	resets atomic.Int32
	// Reset receives one value per connection that was reset (the first
	// thousand), so a test can wait for the client's next try.
	Reset chan struct{}
}

// NewStarting starts a proxy for the broker at target (host:port, or ""
// for one that never comes up) on a free loopback port; it stops when the
// test ends.
func NewStarting(t testing.TB, target string) *Starting {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Starting{ln: ln, target: target, Reset: make(chan struct{}, 1000)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !s.up.Load() {
				s.reset(c)
				continue
			}
			wg.Go(func() { forward(c, s.target) })
		}
	})
	return s
}

// Addr is the proxy's host:port, to put in a client's broker URL.
func (s *Starting) Addr() string { return s.ln.Addr().String() }

// Up makes the broker accept: new connections are forwarded from now on.
func (s *Starting) Up() { s.up.Store(true) }

// Resets says how many connections were reset so far.
func (s *Starting) Resets() int { return int(s.resets.Load()) }

// reset counts the connection before it closes it: a client that has seen
// its reset can then trust [Starting.Resets] to include it.
func (s *Starting) reset(c net.Conn) {
	s.resets.Add(1)
	select {
	case s.Reset <- struct{}{}:
	default:
	}
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetLinger(0) // close sends RST
	}
	c.Close()
}

// forward copies bytes both ways between c and the broker at target
// until either side closes.
func forward(c net.Conn, target string) {
	defer c.Close()
	up, err := net.Dial("tcp", target)
	if err != nil {
		return
	}
	defer up.Close()
	done := make(chan struct{}, 2)
	go func() { _, _ = io.Copy(up, c); done <- struct{}{} }()
	go func() { _, _ = io.Copy(c, up); done <- struct{}{} }()
	<-done
}
