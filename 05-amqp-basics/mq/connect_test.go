package mq_test

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// A malformed AMQP_URL is refused before any dialing, with the
// parser's reason, and no password is echoed.
func TestMalformedURLIsRejectedWithTheReason(t *testing.T) {
	cases := map[string]string{
		"http://guest:secret@127.0.0.1:5672/":     "scheme",
		"amqp://guest:secret@127.0.0.1:5672/ x":   "whitespace",
		"amqp://guest:secret@127.0.0.1:notaport/": "port",
	}
	for raw, reason := range cases {
		_, err := mq.Dial(t.Context(), raw, mq.DialOptions{})
		var de *mq.DialError
		if !errors.As(err, &de) || de.Step != "parse AMQP_URL" {
			t.Errorf("Dial(%q) = %v, want a DialError at step parse AMQP_URL", raw, err)
			continue
		}
		if !strings.Contains(strings.ToLower(err.Error()), reason) {
			t.Errorf("Dial(%q) = %q, want the reason (%s)", raw, err, reason)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("Dial(%q) = %q leaks the password", raw, err)
		}
	}
}

// Nothing listens: a clear "connect to" error, with the
// [net.OpError] inside.
func TestUnreachableBrokerIsAConnectError(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // the port is now (almost certainly) closed

	start := time.Now()
	_, err = mq.Dial(t.Context(), "amqp://guest:guest@"+addr+"/", mq.DialOptions{Timeout: 2 * time.Second})
	var de *mq.DialError
	if !errors.As(err, &de) || de.Step != "connect to" {
		t.Fatalf("err = %v, want a DialError at step connect to", err)
	}
	var op *net.OpError
	if !errors.As(err, &op) {
		t.Errorf("err = %v, want the *net.OpError inside", err)
	}
	t.Logf("after %v: %v", time.Since(start), err)
}

// Something accepts TCP but never speaks AMQP: the dial timeout bounds
// the wait, and the error says so.
func TestSilentBrokerTimesOut(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			defer c.Close() // hold it open, say nothing
		}
	}()

	start := time.Now()
	_, err = mq.Dial(t.Context(), "amqp://guest:guest@"+l.Addr().String()+"/",
		mq.DialOptions{Timeout: 500 * time.Millisecond})
	el := time.Since(start)
	var de *mq.DialError
	if !errors.As(err, &de) || de.Step != "handshake with" {
		t.Fatalf("err = %v, want a DialError at step handshake with", err)
	}
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Errorf("err = %v, want a timeout inside", err)
	}
	t.Logf("after %v (timeout 500ms): %v", el, err)
}

// A wrong password is an authentication error (403), not a hang, and
// the password does not appear in it.
func TestWrongPasswordIsAnAuthenticationError(t *testing.T) {
	u, err := url.Parse(vhost(t))
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "not-the-password")

	// The dial timeout bounds the handshake, so a hang would end as a
	// timeout error, not as the 403 asked for below.
	_, err = mq.Dial(t.Context(), u.String(), mq.DialOptions{Timeout: 5 * time.Second})
	var de *mq.DialError
	if !errors.As(err, &de) || de.Step != "log in to" {
		t.Fatalf("err = %v, want a DialError at step log in to", err)
	}
	var ae *amqp.Error
	if !errors.As(err, &ae) || ae.Code != amqp.AccessRefused {
		t.Errorf("err = %v, want an *amqp.Error with code 403", err)
	}
	if strings.Contains(err.Error(), "not-the-password") {
		t.Errorf("err = %q leaks the password", err)
	}
	t.Log(err)
}

// A vhost that does not exist is named as such.
func TestUnknownVhostIsNamed(t *testing.T) {
	b := broker.Get(t)
	_, err := mq.Dial(t.Context(), b.VhostURL("no-such-vhost-for-lesson-05"), mq.DialOptions{})
	var de *mq.DialError
	if !errors.As(err, &de) || de.Step != "open vhost on" {
		t.Fatalf("err = %v, want a DialError at step open vhost on", err)
	}
	t.Log(err)
}
