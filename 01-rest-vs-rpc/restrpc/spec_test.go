package restrpc

import (
	"context"
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

// `startAndDial` runs a server of `style` on a free port and returns a
// client for it; both are closed when the test ends.
func startAndDial(t testing.TB, style Style) Client {
	t.Helper()
	srv, err := Listen(style, "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	c, err := Dial(context.Background(), style, srv.Addr())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}
