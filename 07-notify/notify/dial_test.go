package notify

import (
	"errors"
	"io"
	"log/slog"
	"net"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// startingBroker is a TCP proxy in front of the test's broker. Until up
// is set, it accepts each connection and resets it at once, as a RabbitMQ
// that is still starting does ("connection reset by peer"); then it
// forwards connections to the broker.
type startingBroker struct {
	ln      net.Listener
	target  string // the brokerURL broker's host:port, "" for none
	up      atomic.Bool
	resets  atomic.Int32
	resetCh chan struct{} // one value per reset connection
}

func newStartingBroker(t *testing.T, target string) *startingBroker {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &startingBroker{ln: ln, target: target, resetCh: make(chan struct{}, 1000)}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			if !b.up.Load() {
				c.(*net.TCPConn).SetLinger(0) // close sends RST
				c.Close()
				b.resets.Add(1)
				select {
				case b.resetCh <- struct{}{}:
				default:
				}
				continue
			}
			wg.Go(func() { forward(c, b.target) })
		}
	})
	return b
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
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
}

// url is amqpURL with the proxy's address in place of the broker's.
func (b *startingBroker) url(t *testing.T, amqpURL string) string {
	t.Helper()
	u, err := url.Parse(amqpURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = b.ln.Addr().String()
	return u.String()
}

// A program started while the broker still resets every connection
// keeps trying, each attempt logged with its error and the next delay,
// and connects once the broker accepts.
func TestDialerRetriesUntilTheBrokerAccepts(t *testing.T) {
	brokerURL := broker.Get(t).NewVhost(t)
	u, err := url.Parse(brokerURL)
	if err != nil {
		t.Fatal(err)
	}
	b := newStartingBroker(t, u.Host)
	logs := &logBuffer{}
	d := Dialer{RetryInterval: 10 * time.Millisecond, MaxRetryInterval: 50 * time.Millisecond,
		Attempts: 1_000_000, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	connected := make(chan error, 1)
	go func() {
		conn, err := d.DialContext(t.Context(), b.url(t, brokerURL))
		if err == nil {
			t.Cleanup(func() { conn.Close() })
		}
		connected <- err
	}()
	for range 2 {
		<-b.resetCh
	}
	b.up.Store(true)
	if err := <-connected; err != nil {
		t.Fatalf("DialContext: %v", err)
	}
	t.Logf("the broker reset %d connections before it was up", b.resets.Load())
	retries := 0
	for _, line := range strings.Split(logs.String(), "\n") {
		if strings.Contains(line, "cannot connect to the broker; retrying") {
			retries++
			if !strings.Contains(line, " err=") || !strings.Contains(line, " retry_in=") {
				t.Errorf("a retry line without its error and delay: %s", line)
			}
		}
	}
	if retries < 2 {
		t.Errorf("%d retry lines, want one per reset (at least 2):\n%s", retries, logs)
	}
}

// A broker that never comes up: the dialer gives up after Attempts
// attempts (counted at the broker's door), with an error that says so.
func TestDialerGivesUpAfterItsAttempts(t *testing.T) {
	b := newStartingBroker(t, "")
	logs := &logBuffer{}
	d := Dialer{RetryInterval: time.Millisecond, MaxRetryInterval: 4 * time.Millisecond,
		Attempts: 3, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	_, err := d.DialContext(t.Context(), b.url(t, "amqp://guest:secret@localhost/"))
	t.Logf("DialContext: %v", err)
	if !errors.Is(err, ErrBrokerUnreachable) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want ErrBrokerUnreachable after 3 attempts", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if n := b.resets.Load(); n != 3 {
		t.Errorf("the broker saw %d connections, want 3", n)
	}
	if n := strings.Count(logs.String(), "cannot connect to the broker; retrying"); n != 2 {
		t.Errorf("%d retry lines, want 2 (the third attempt gives up):\n%s", n, logs)
	}
}
