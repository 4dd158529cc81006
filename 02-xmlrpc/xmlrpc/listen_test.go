package xmlrpc_test

import (
	"net"
	"syscall"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// Listen's connections carry no TCP keep-alive, as Python's server's
// do not; a plain net.Listen turns it on for every accepted connection.
func TestListenAcceptsConnectionsWithoutKeepAlive(t *testing.T) {
	for _, c := range []struct {
		name   string
		listen func() (net.Listener, error)
		want   int
	}{
		{"xmlrpc.Listen", func() (net.Listener, error) { return xmlrpc.Listen("127.0.0.1:0") }, 0},
		{"net.Listen", func() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }, 1},
	} {
		ln, err := c.listen()
		if err != nil {
			t.Fatal(err)
		}
		defer ln.Close()
		client, err := net.Dial("tcp", ln.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer client.Close()
		conn, err := ln.Accept()
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		raw, err := conn.(*net.TCPConn).SyscallConn()
		if err != nil {
			t.Fatal(err)
		}
		var got int
		var serr error
		if err := raw.Control(func(fd uintptr) {
			got, serr = syscall.GetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_KEEPALIVE)
		}); err != nil || serr != nil {
			t.Fatal(err, serr)
		}
		if got != c.want {
			t.Errorf("%s: SO_KEEPALIVE = %d on an accepted connection, want %d", c.name, got, c.want)
		}
	}
}
