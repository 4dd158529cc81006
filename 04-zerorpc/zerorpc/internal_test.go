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

func TestLostRemoteFreesChannels(t *testing.T) {
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
	deadline := time.Now().Add(5 * time.Second)
	for openChannels(s) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if openChannels(s) != 1 {
		t.Fatal("the call never opened a channel")
	}
	c2.Close()
	for openChannels(s) != 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := openChannels(s); n != 0 {
		t.Errorf("server keeps %d channels after its client went away", n)
	}
}
