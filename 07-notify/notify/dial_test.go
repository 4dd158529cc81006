package notify

import (
	"errors"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// A program started while the broker still resets every connection
// keeps trying, each attempt logged with its error and the next delay,
// and connects once the broker accepts.
func TestDialerRetriesUntilTheBrokerAccepts(t *testing.T) {
	brokerURL := broker.Get(t).NewVhost(t)
	u, err := url.Parse(brokerURL)
	if err != nil {
		t.Fatal(err)
	}
	b := broker.NewStarting(t, u.Host)
	logs := &logBuffer{}
	d := Dialer{RetryInterval: 10 * time.Millisecond, MaxRetryInterval: 50 * time.Millisecond,
		Attempts: 1_000_000, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	connected := make(chan error, 1)
	go func() {
		conn, err := d.DialContext(t.Context(), proxyURL(t, b, brokerURL))
		if err == nil {
			t.Cleanup(func() { conn.Close() })
		}
		connected <- err
	}()
	for range 2 {
		<-b.Reset
	}
	b.Up()
	if err := <-connected; err != nil {
		t.Fatalf("DialContext: %v", err)
	}
	t.Logf("the broker reset %d connections before it was up", b.Resets())
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
	b := broker.NewStarting(t, "")
	logs := &logBuffer{}
	d := Dialer{RetryInterval: time.Millisecond, MaxRetryInterval: 4 * time.Millisecond,
		Attempts: 3, Logger: slog.New(slog.NewTextHandler(logs, nil))}
	_, err := d.DialContext(t.Context(), proxyURL(t, b, "amqp://guest:secret@localhost/"))
	t.Logf("DialContext: %v", err)
	if !errors.Is(err, ErrBrokerUnreachable) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want ErrBrokerUnreachable after 3 attempts", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("the error shows the password: %v", err)
	}
	if n := b.Resets(); n != 3 {
		t.Errorf("the broker saw %d connections, want 3", n)
	}
	if n := strings.Count(logs.String(), "cannot connect to the broker; retrying"); n != 2 {
		t.Errorf("%d retry lines, want 2 (the third attempt gives up):\n%s", n, logs)
	}
}

// proxyURL is amqpURL with the proxy's address in place of the broker's.
func proxyURL(t *testing.T, b *broker.Starting, amqpURL string) string {
	t.Helper()
	u, err := url.Parse(amqpURL)
	if err != nil {
		t.Fatal(err)
	}
	u.Host = b.Addr()
	return u.String()
}
