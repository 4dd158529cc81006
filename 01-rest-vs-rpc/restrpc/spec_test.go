package restrpc

import (
	"errors"
	"net"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/calctest"
)

// The one calculator specification of the course, run against each
// of the three clients: the same service, whatever the wire.
func TestClientsMeetCalculatorSpec(t *testing.T) {
	for _, style := range Styles {
		t.Run(string(style), func(t *testing.T) {
			c := startAndDial(t, style)
			calctest.Run(t, c)
		})
	}
}

// startServer serves srv on a free loopback port, the way every
// program of the course starts a server, and returns its address. The
// server is closed when the test ends, and Serve must then have
// returned [ErrServerClosed].
func startServer(t testing.TB, srv *Server) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	t.Cleanup(func() {
		if err := srv.Close(); err != nil {
			t.Errorf("close %s server: %v", srv.Style, err)
		}
		if err := <-served; !errors.Is(err, ErrServerClosed) {
			t.Errorf("%s Serve returned %v, want ErrServerClosed", srv.Style, err)
		}
	})
	return ln.Addr().String()
}

// startAndDial runs a server of style on a free port and returns a
// client for it; both are closed when the test ends.
func startAndDial(t testing.TB, style Style) Client {
	t.Helper()
	addr := startServer(t, &Server{Style: style})
	c, err := Dial(t.Context(), style, addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
