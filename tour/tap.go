package main

import (
	"fmt"
	"net"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// socketTap is the hub that the lessons' sockets report to while the
// web page watches; nil in the terminal tour, where nothing is tapped.
var socketTap atomic.Pointer[hub]

// listen is net.Listen for the lessons' servers: when the web page
// watches, every connection the server accepts is tapped, so each
// request and reply is drawn as it crosses the socket.
func listen(network, address string) (net.Listener, error) {
	ln, err := net.Listen(network, address)
	if err != nil {
		return nil, err
	}
	h := socketTap.Load()
	if h == nil {
		return ln, nil
	}
	return &tapListener{Listener: ln, h: h}, nil
}

// A tapListener hands out tapped connections.
type tapListener struct {
	net.Listener
	h *hub
}

func (l *tapListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return &tapConn{Conn: c, h: l.h, id: connIDs.Add(1)}, nil
}

// connIDs numbers the tapped connections of the whole process.
var connIDs atomic.Int64

// quietGap is how long a direction stays silent before what it sent
// counts as one message: a request ends when the server answers or the
// client pauses.
const quietGap = 3 * time.Millisecond

// A tapConn reports what the server's side of a connection reads (the
// client's messages) and writes (the server's).
type tapConn struct {
	net.Conn
	h       *hub
	id      int64
	mu      sync.Mutex
	toSrv   bool // the direction of pending
	pending []byte
	timer   *time.Timer
	n       int
}

func (c *tapConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if n > 0 {
		c.record(true, p[:n])
	}
	return n, err
}

func (c *tapConn) Write(p []byte) (int, error) {
	c.record(false, p)
	return c.Conn.Write(p)
}

func (c *tapConn) Close() error {
	c.mu.Lock()
	c.flushLocked()
	c.mu.Unlock()
	return c.Conn.Close()
}

func (c *tapConn) record(toServer bool, b []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.pending) > 0 && toServer != c.toSrv {
		c.flushLocked()
	}
	c.toSrv = toServer
	c.pending = append(c.pending, b...)
	if c.timer == nil {
		c.timer = time.AfterFunc(quietGap, c.flush)
	} else {
		c.timer.Reset(quietGap)
	}
}

func (c *tapConn) flush() {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.flushLocked()
}

// flushLocked publishes what is pending as one message.
func (c *tapConn) flushLocked() {
	if len(c.pending) == 0 {
		return
	}
	b := c.pending
	c.pending = nil
	c.n++
	from, to := "server", "client"
	if c.toSrv {
		from, to = "client", "server"
	}
	enc, shown := payload(b)
	c.h.publish(event{
		Kind: kindMsg, ID: fmt.Sprintf("c%d.%d", c.id, c.n),
		From: from, To: []string{to}, Label: messageLabel(enc, shown, len(b)),
		Enc: enc, Bytes: shown, Size: len(b),
		Props: map[string]string{"connection": fmt.Sprint(c.id)},
	})
}

// messageLabel is what the page writes on a message: an HTTP message's
// first line, else its size.
func messageLabel(enc, shown string, size int) string {
	if enc == "text" {
		first, _, _ := strings.Cut(shown, "\n")
		first = strings.TrimSpace(first)
		if r := []rune(first); len(r) > 48 {
			first = string(r[:48]) + "…"
		}
		if first != "" {
			if m := methodIn(shown); m != "" {
				first += " · " + m
			}
			return first
		}
	}
	return fmt.Sprintf("%d bytes", size)
}

// methodPatterns find the method an XML-RPC or JSON-RPC request calls.
var methodPatterns = []*regexp.Regexp{
	regexp.MustCompile(`<methodName>([^<]{1,64})</methodName>`),
	regexp.MustCompile(`"method"\s*:\s*"([^"]{1,64})"`),
	regexp.MustCompile(`"operation"\s*:\s*"([^"]{1,64})"`),
}

// methodIn returns the method a text request names, if it names one.
func methodIn(text string) string {
	for _, re := range methodPatterns {
		if m := re.FindStringSubmatch(text); m != nil {
			return m[1]
		}
	}
	return ""
}
