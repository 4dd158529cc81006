package restrpc

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"net/rpc"
	"strings"
	"testing"
	"time"
)

// dialRPC starts a net/rpc server of style and returns a client, the
// server and its address.
func dialRPC(t *testing.T, style Style) (*RPCClient, *Server, string) {
	t.Helper()
	srv := &Server{Style: style}
	addr := startServer(t, srv)
	c, err := Dial(t.Context(), style, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c.(*RPCClient), srv, addr
}

var rpcStyles = []Style{GobRPC, JSONRPC}

// Calling a method the server lacks is an error the server sends
// back, an [rpc.ServerError]; the connection stays usable.
func TestRPCUnknownMethodIsAServerErrorAndTheConnectionLives(t *testing.T) {
	for _, style := range rpcStyles {
		t.Run(string(style), func(t *testing.T) {
			c, _, _ := dialRPC(t, style)
			ctx := t.Context()
			_, err := c.Call(ctx, "Power", 2, 3)
			var se rpc.ServerError
			if !errors.As(err, &se) {
				t.Fatalf("Call(Power) error = %v, want an rpc.ServerError", err)
			}
			if want := "rpc: can't find method Calculator.Power"; string(se) != want {
				t.Errorf("server error = %q, want %q", se, want)
			}
			if got, err := c.Add(ctx, 2, 3); err != nil || got != 5 {
				t.Errorf("Add after the error = %d, %v; want 5", got, err)
			}
		})
	}
}

func TestRPCDivideByZeroIsServerError(t *testing.T) {
	for _, style := range rpcStyles {
		t.Run(string(style), func(t *testing.T) {
			c, _, _ := dialRPC(t, style)
			_, err := c.Divide(t.Context(), 1, 0)
			var se rpc.ServerError
			if !errors.As(err, &se) || string(se) != ErrDivisionByZero.Error() {
				t.Errorf("Divide(1, 0) error = %v, want rpc.ServerError %q", err, ErrDivisionByZero)
			}
		})
	}
}

// A call gives up when its context ends; it does not hang.
func TestRPCCallHonoursContext(t *testing.T) {
	// A "server" that accepts and never answers.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer conn.Close()
				io.Copy(io.Discard, conn) // read until closed
			}()
		}
	}()
	for _, style := range rpcStyles {
		c, err := Dial(t.Context(), style, ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), 50*time.Millisecond)
		_, err = c.Add(ctx, 2, 3)
		cancel()
		c.Close()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: Add to a silent server: %v, want context.DeadlineExceeded", style, err)
		}
	}
}

// When the server goes away, calls fail at once instead of hanging.
func TestRPCCallFailsOnceTheServerIsGone(t *testing.T) {
	for _, style := range rpcStyles {
		t.Run(string(style), func(t *testing.T) {
			c, srv, _ := dialRPC(t, style)
			if err := srv.Close(); err != nil {
				t.Fatal(err)
			}
			ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second)
			defer cancel()
			_, err := c.Add(ctx, 2, 3)
			if err == nil || errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("Add after server Close: %v, want a connection error", err)
			}
		})
	}
}

// Garbage on the wire makes the server drop that connection, nothing
// more: it keeps serving everyone else. (The garbage is a complete
// message; one that stops halfway is the business of ReadTimeout, in
// hostile_test.go.)
func TestRPCServerSurvivesGarbage(t *testing.T) {
	for _, style := range rpcStyles {
		t.Run(string(style), func(t *testing.T) {
			c, _, addr := dialRPC(t, style)
			conn, err := net.Dial("tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			conn.Write([]byte("\x05hello{]\n"))
			conn.SetReadDeadline(time.Now().Add(10 * time.Second))
			if _, err := bufio.NewReader(conn).ReadString(0); err == nil {
				t.Error("server answered garbage with a NUL-terminated message?")
			} else if ne, ok := err.(net.Error); ok && ne.Timeout() {
				t.Error("server kept a garbage connection open")
			}
			if got, err := c.Add(t.Context(), 2, 3); err != nil || got != 5 {
				t.Errorf("Add on another connection = %d, %v; want 5", got, err)
			}
		})
	}
}

// NewRPCServer publishes exactly the four operations.
func TestRPCServerPublishesTheFourOperations(t *testing.T) {
	c, _, _ := dialRPC(t, GobRPC)
	for _, m := range []string{"Add", "Subtract", "Multiply", "Divide"} {
		if _, err := c.Call(t.Context(), m, 6, 3); err != nil {
			t.Errorf("Calculator.%s: %v", m, err)
		}
	}
}

func TestUnknownStylesAndClosedPortsAreErrors(t *testing.T) {
	if _, err := Dial(t.Context(), "soap", "127.0.0.1:1"); err == nil ||
		!strings.Contains(err.Error(), "unknown style") {
		t.Errorf("Dial(soap) error = %v, want unknown style", err)
	}
	if err := (&Server{Style: "soap"}).ListenAndServe(); err == nil ||
		!strings.Contains(err.Error(), "unknown style") {
		t.Errorf("serve soap: %v, want unknown style", err)
	}
	// Port 1 on loopback: nothing listens, the dial is refused.
	if _, err := Dial(t.Context(), GobRPC, "127.0.0.1:1"); err == nil {
		t.Error("Dial to a closed port succeeded")
	}
}
