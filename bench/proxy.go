// The byte-counting proxy.
//
// Bytes on the wire are counted in a separate, short pass: the client
// talks to a proxy in this process, which forwards to the server (or
// the broker) and counts what passes each way. The counts are TCP
// payload bytes as the socket sees them: HTTP headers, frames and
// protocol overhead included; TCP/IP headers not. The throughput pass
// never goes through the proxy, so it has no extra hop.

package main

import (
	"net"
	"sync"
	"sync/atomic"
)

// countingProxy forwards every connection to target.
type countingProxy struct {
	ln     net.Listener
	target string
	up     atomic.Int64 // client → server
	down   atomic.Int64 // server → client
	conns  atomic.Int64 // connections accepted
	wg     sync.WaitGroup
	mu     sync.Mutex
	open   []net.Conn
}

func newCountingProxy(target string) (*countingProxy, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	p := &countingProxy{ln: ln, target: target}
	p.wg.Add(1)
	go p.accept()
	return p, nil
}

// Addr is where clients should connect instead of target.
func (p *countingProxy) Addr() string { return p.ln.Addr().String() }

// Reset zeroes the counters, e.g. after the warm-up calls.
func (p *countingProxy) Reset() { p.up.Store(0); p.down.Store(0); p.conns.Store(0) }

// Conns is how many connections were opened since the last [Reset].
func (p *countingProxy) Conns() int64 { return p.conns.Load() }

// Counts returns the bytes sent up and down since the last [Reset].
func (p *countingProxy) Counts() (up, down int64) { return p.up.Load(), p.down.Load() }

func (p *countingProxy) accept() {
	defer p.wg.Done()
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.conns.Add(1)
		s, err := net.Dial("tcp", p.target)
		if err != nil {
			c.Close()
			continue
		}
		p.mu.Lock()
		p.open = append(p.open, c, s)
		p.mu.Unlock()
		p.wg.Add(1)
		go func() {
			defer p.wg.Done()
			var pair sync.WaitGroup
			pair.Add(2)
			go func() { defer pair.Done(); pipe(s, c, &p.up) }()
			go func() { defer pair.Done(); pipe(c, s, &p.down) }()
			pair.Wait()
			c.Close()
			s.Close()
		}()
	}
}

// pipe copies src to dst, counting, and half-closes dst at the
// end so that the other direction can finish (HTTP/1.0 servers close
// after each answer).
func pipe(dst, src net.Conn, n *atomic.Int64) {
	buf := make([]byte, 32<<10)
	for {
		k, err := src.Read(buf)
		if k > 0 {
			n.Add(int64(k))
			if _, werr := dst.Write(buf[:k]); werr != nil {
				break
			}
		}
		if err != nil {
			break
		}
	}
	if tc, ok := dst.(*net.TCPConn); ok {
		tc.CloseWrite()
	} else {
		dst.Close()
	}
}

// Close stops the proxy and every connection through it.
func (p *countingProxy) Close() error {
	err := p.ln.Close()
	p.mu.Lock()
	for _, c := range p.open {
		c.Close()
	}
	p.mu.Unlock()
	p.wg.Wait()
	return err
}
