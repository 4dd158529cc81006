// The floor for every socket approach: a 16-byte message ping-pong on
// loopback TCP. The request is x and y as two little-endian int64; the
// reply is the sum and 8 zero bytes. No framing, no encoding library.

package main

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
)

const rawMsgSize = 16

// serveRawTCP answers every connection in its own goroutine.
func serveRawTCP(ln net.Listener) {
	for {
		c, err := ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			var buf [rawMsgSize]byte
			for {
				if _, err := io.ReadFull(c, buf[:]); err != nil {
					return
				}
				x := int64(binary.LittleEndian.Uint64(buf[0:8]))
				y := int64(binary.LittleEndian.Uint64(buf[8:16]))
				binary.LittleEndian.PutUint64(buf[0:8], uint64(x+y))
				binary.LittleEndian.PutUint64(buf[8:16], 0)
				if _, err := c.Write(buf[:]); err != nil {
					return
				}
			}
		}()
	}
}

// rawTCPClient keeps a pool of connections: a caller takes one, does
// its ping-pong and puts it back, so concurrent callers never wait for
// each other on a socket.
type rawTCPClient struct {
	addr string
	mu   sync.Mutex
	idle []net.Conn
	all  []net.Conn
}

func dialRawTCP(_ context.Context, _ *env, addr string) (Client, error) {
	c := &rawTCPClient{addr: addr}
	conn, err := c.get()
	if err != nil {
		return nil, err
	}
	c.put(conn)
	return c, nil
}

func (c *rawTCPClient) get() (net.Conn, error) {
	c.mu.Lock()
	if n := len(c.idle); n > 0 {
		conn := c.idle[n-1]
		c.idle = c.idle[:n-1]
		c.mu.Unlock()
		return conn, nil
	}
	c.mu.Unlock()
	conn, err := net.Dial("tcp", c.addr)
	if err != nil {
		return nil, fmt.Errorf("dial raw tcp: %w", err)
	}
	c.mu.Lock()
	c.all = append(c.all, conn)
	c.mu.Unlock()
	return conn, nil
}

func (c *rawTCPClient) put(conn net.Conn) {
	c.mu.Lock()
	c.idle = append(c.idle, conn)
	c.mu.Unlock()
}

func (c *rawTCPClient) Add(ctx context.Context, x, y int) (int, error) {
	conn, err := c.get()
	if err != nil {
		return 0, err
	}
	var buf [rawMsgSize]byte
	binary.LittleEndian.PutUint64(buf[0:8], uint64(x))
	binary.LittleEndian.PutUint64(buf[8:16], uint64(y))
	if _, err := conn.Write(buf[:]); err != nil {
		conn.Close()
		return 0, fmt.Errorf("write: %w", err)
	}
	if _, err := io.ReadFull(conn, buf[:]); err != nil {
		conn.Close()
		return 0, fmt.Errorf("read: %w", err)
	}
	c.put(conn)
	return checkSum(int(int64(binary.LittleEndian.Uint64(buf[0:8]))), nil)
}

func (c *rawTCPClient) Close() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	var errs []error
	for _, conn := range c.all {
		errs = append(errs, conn.Close())
	}
	c.all, c.idle = nil, nil
	return errors.Join(errs...)
}
