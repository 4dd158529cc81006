package restrpc

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"
)

// Shutdown stops a server of every style the way net/http's does: the
// connected client's call is answered, Shutdown returns nil once the
// connections are done, Serve returns ErrServerClosed, and nobody new
// gets in.
func TestShutdownEndsServeWithErrServerClosed(t *testing.T) {
	for _, style := range Styles {
		t.Run(string(style), func(t *testing.T) {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			srv := &Server{Style: style}
			served := make(chan error, 1)
			go func() { served <- srv.Serve(ln) }()
			c, err := Dial(t.Context(), style, ln.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			if got, err := c.Add(t.Context(), 2, 3); err != nil || got != 5 {
				t.Fatalf("add(2, 3) = %d, %v", got, err)
			}

			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			if err := srv.Shutdown(ctx); err != nil {
				t.Errorf("Shutdown: %v", err)
			}
			if err := <-served; !errors.Is(err, ErrServerClosed) {
				t.Errorf("Serve returned %v, want ErrServerClosed", err)
			}
			if conn, err := net.Dial("tcp", ln.Addr().String()); err == nil {
				conn.Close()
				t.Error("a new connection was accepted after Shutdown")
			}
			// Serving again is refused, as net/http refuses it.
			ln2, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			if err := srv.Serve(ln2); !errors.Is(err, ErrServerClosed) {
				t.Errorf("Serve after Shutdown = %v, want ErrServerClosed", err)
			}
		})
	}
}
