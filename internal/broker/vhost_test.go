package broker

import (
	"errors"
	"net"
	"net/url"
	"strings"
	"testing"
)

// A RabbitMQ image without the management plugin publishes port 15672
// all the same: Docker's proxy accepts the connection and resets it, as
// nothing listens behind it. The harness must then say what is missing,
// not just "connection reset by peer". These tests stand in for such an
// image with a listener on 127.0.0.1, so they need no broker.

// resettingListener accepts connections and resets each one at once,
// as Docker's port proxy does when nothing listens in the container.
func resettingListener(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			_ = c.(*net.TCPConn).SetLinger(0) // close sends RST, not FIN
			c.Close()
		}
	}()
	return ln.Addr().String()
}

// refusedAddr is an address where nothing listens: dialing it is refused.
func refusedAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func brokerWithManagementAt(addr, hint string) *Broker {
	return &Broker{
		amqpURL:    &url.URL{Scheme: "amqp", User: url.UserPassword("guest", "guest"), Host: "127.0.0.1:5672", Path: "/"},
		mgmtURL:    &url.URL{Scheme: "http", User: url.UserPassword("guest", "guest"), Host: addr},
		noMgmtHint: hint,
	}
}

func TestCreateVhostSaysTheManagementPluginIsMissingWhenTheConnectionIsReset(t *testing.T) {
	addr := resettingListener(t)
	b := brokerWithManagementAt(addr, hintImage)
	_, _, err := b.CreateVhost(t.Context(), t.Name())
	if !errors.Is(err, ErrNoManagement) {
		t.Fatalf("CreateVhost error = %v, want one that wraps ErrNoManagement", err)
	}
	want := "the management plugin is not reachable at " + addr
	for _, part := range []string{want, "RABBITMQ_IMAGE must include it"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not say %q", err, part)
		}
	}
	t.Logf("the student reads: %v", err)
}

func TestCreateVhostSaysTheManagementPluginIsMissingWhenTheConnectionIsRefused(t *testing.T) {
	addr := refusedAddr(t)
	b := brokerWithManagementAt(addr, hintURL)
	_, _, err := b.CreateVhost(t.Context(), t.Name())
	if !errors.Is(err, ErrNoManagement) {
		t.Fatalf("CreateVhost error = %v, want one that wraps ErrNoManagement", err)
	}
	for _, part := range []string{"the management plugin is not reachable at " + addr, "rabbitmq-plugins enable rabbitmq_management"} {
		if !strings.Contains(err.Error(), part) {
			t.Errorf("error %q does not say %q", err, part)
		}
	}
	t.Logf("the student reads: %v", err)
}

func TestCreateVhostReportsOtherHTTPErrorsAsThemselves(t *testing.T) {
	// A management API that answers, but refuses: not a missing plugin.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 4096)
			_, _ = c.Read(buf)
			_, _ = c.Write([]byte("HTTP/1.1 401 Unauthorized\r\nContent-Length: 14\r\nConnection: close\r\n\r\nnot authorised"))
			c.Close()
		}
	}()
	b := brokerWithManagementAt(ln.Addr().String(), hintImage)
	_, _, err = b.CreateVhost(t.Context(), t.Name())
	if err == nil || errors.Is(err, ErrNoManagement) || !strings.Contains(err.Error(), "401") {
		t.Fatalf("CreateVhost error = %v, want the 401 as it came", err)
	}
}
