// White-box checks: a lost remote frees the channel on both sides.

package zerorpc

import (
	"context"
	"errors"
	"io"
	"log"
	"net"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
)

func openChannels(s *Server) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.chans)
}

func TestLostRemoteFreesChannelsOnBothSides(t *testing.T) {
	silent := log.New(io.Discard, "", 0)
	d := Dialer{Heartbeat: 100 * time.Millisecond, ErrorLog: silent}

	// Client side: a ROUTER that never answers.
	router := zmq4.NewRouter(t.Context())
	if err := router.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	defer router.Close()
	go func() {
		for {
			if _, err := router.Recv(); err != nil {
				return
			}
		}
	}()
	c, err := d.Dial("tcp://" + router.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.Call(t.Context(), "x"); !errors.As(err, new(*LostRemoteError)) {
		t.Fatalf("got %v", err)
	}
	c.mu.Lock()
	n := len(c.chans)
	c.mu.Unlock()
	if n != 0 {
		t.Errorf("client keeps %d channels after a lost remote", n)
	}

	// Server side: a client that closes mid-call stops heartbeating.
	s := &Server{Heartbeat: 100 * time.Millisecond, ErrorLog: silent}
	if err := s.RegisterFunc("block", func(ctx context.Context) { <-ctx.Done() }, Doc{}); err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	defer s.Close()
	c2, err := d.Dial("tcp://" + ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	go c2.Call(t.Context(), "block")
	waitUntil(t, "the call to open a channel", func() bool { return openChannels(s) == 1 })
	c2.Close()
	waitUntil(t, "the server to free the channel of a client gone away", func() bool { return openChannels(s) == 0 })
}

// waitUntil polls cond until it holds; only the test binary's own
// deadline stops it (a guard against a hang, not a speed limit).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline, ok := t.Deadline()
	for !cond() {
		if ok && time.Until(deadline) < 10*time.Second {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}
