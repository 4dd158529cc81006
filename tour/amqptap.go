package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/url"
	"strings"
	"sync"
)

// An amqpTap stands between the broker lessons and RabbitMQ: a TCP
// proxy on 127.0.0.1 that passes every byte on unchanged and reads the
// AMQP frames as they go by. From them it tells the page what the
// lessons declare (exchanges, queues, bindings, consumers), each publish
// and each delivery with its properties and body, and where the
// exchange routes a publish by the bindings it saw declared.
type amqpTap struct {
	h        *hub
	upstream string // the broker's host:port
	ln       net.Listener
	url      string // the broker's URL with the proxy's address
	kick     chan struct{}

	mu        sync.Mutex
	conns     int
	exchanges map[string]string // name → type
	bindings  []binding
	queues    map[string]bool // name → exclusive
	consumers map[string]string
	announced map[string]bool // actors the page has been told of in this run
	perQueue  map[string]int  // consumers per queue, for their labels
	msgs      int
}

type binding struct{ exchange, queue, key string }

// newAMQPTap starts a proxy in front of the broker at rawURL.
func newAMQPTap(h *hub, rawURL string) (*amqpTap, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("broker URL: %w", err)
	}
	host := u.Host
	if u.Port() == "" {
		host = net.JoinHostPort(u.Hostname(), "5672")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	u.Host = ln.Addr().String()
	t := &amqpTap{h: h, upstream: host, ln: ln, url: u.String(), kick: make(chan struct{}, 1),
		exchanges: map[string]string{}, queues: map[string]bool{}, consumers: map[string]string{}}
	t.reset()
	go t.serve()
	return t, nil
}

// reset forgets which actors the page knows: a new run draws afresh.
func (t *amqpTap) reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.announced, t.perQueue = map[string]bool{}, map[string]int{}
}

func (t *amqpTap) close() error { return t.ln.Close() }

func (t *amqpTap) serve() {
	for {
		c, err := t.ln.Accept()
		if err != nil {
			return
		}
		go t.pipe(c)
	}
}

// pipe joins one lesson connection to the broker and reads both ways.
func (t *amqpTap) pipe(c net.Conn) {
	defer c.Close()
	up, err := net.Dial("tcp", t.upstream)
	if err != nil {
		return
	}
	defer up.Close()
	t.mu.Lock()
	t.conns++
	ac := &amqpConn{t: t, id: t.conns, declares: map[uint16]queueDeclare{}, consumes: map[uint16]string{}, tags: map[uint16][]string{}}
	t.mu.Unlock()
	toBroker := &frameStream{skip: 8, onFrame: func(f frame) { ac.frame(true, f) }}
	fromBroker := &frameStream{onFrame: func(f frame) { ac.frame(false, f) }}
	done := make(chan struct{}, 2)
	go func() { copyThrough(up, c, toBroker); done <- struct{}{} }()
	go func() { copyThrough(c, up, fromBroker); done <- struct{}{} }()
	<-done
	ac.mu.Lock()
	ac.stopAll()
	ac.mu.Unlock()
}

// copyThrough copies src to dst and shows the parser every chunk on
// its way.
func copyThrough(dst io.Writer, src io.Reader, s *frameStream) {
	buf := make([]byte, 64*1024)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			// Read before passing on: a request (Basic.Consume) is then
			// always read before its answer (Consume-Ok) comes back the
			// other way.
			s.feed(buf[:n])
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// A frame is one AMQP frame: type 1 method, 2 content header, 3 body.
type frame struct {
	typ     byte
	channel uint16
	payload []byte
}

// maxFrame caps the frame size the tap buffers; a larger one (the
// broker's frame_max is 128 KiB by default) ends the reading, never the
// connection.
const maxFrame = 1 << 20

// A frameStream cuts one direction's bytes into frames.
type frameStream struct {
	skip    int // the protocol header a client sends first
	buf     []byte
	broken  bool
	onFrame func(frame)
}

func (s *frameStream) feed(b []byte) {
	if s.broken {
		return
	}
	s.buf = append(s.buf, b...)
	if s.skip > 0 {
		n := min(s.skip, len(s.buf))
		s.buf, s.skip = s.buf[n:], s.skip-n
	}
	for len(s.buf) >= 7 {
		size := int(binary.BigEndian.Uint32(s.buf[3:7]))
		if size > maxFrame {
			s.broken, s.buf = true, nil
			return
		}
		if len(s.buf) < 7+size+1 {
			return
		}
		s.onFrame(frame{typ: s.buf[0], channel: binary.BigEndian.Uint16(s.buf[1:3]), payload: s.buf[7 : 7+size]})
		s.buf = s.buf[7+size+1:]
	}
	s.buf = append([]byte(nil), s.buf...) // let the consumed prefix go
}

// queueDeclare is a Queue.Declare waiting for its Declare-Ok.
type queueDeclare struct {
	name      string
	exclusive bool
}

// A content is a publish or delivery whose header and body frames are
// still coming.
type content struct {
	publish            bool
	exchange, key, tag string
	size               uint64
	props              map[string]string
	body               []byte
}

// amqpConn follows one connection's channels.
type amqpConn struct {
	t        *amqpTap
	id       int
	mu       sync.Mutex // the two directions' readers share the maps
	declares map[uint16]queueDeclare
	consumes map[uint16]string
	tags     map[uint16][]string    // consumer tags by channel
	pending  [2]map[uint16]*content // by direction: 0 from the broker, 1 to it
}

func (c *amqpConn) frame(toBroker bool, f frame) {
	c.mu.Lock()
	defer c.mu.Unlock()
	dir := 0
	if toBroker {
		dir = 1
	}
	if c.pending[dir] == nil {
		c.pending[dir] = map[uint16]*content{}
	}
	switch f.typ {
	case 1:
		c.method(toBroker, f)
	case 2:
		m := c.pending[dir][f.channel]
		if m == nil {
			return
		}
		r := &fields{b: f.payload}
		r.u16() // class
		r.u16() // weight
		m.size = r.u64()
		m.props = r.properties()
		if m.size == 0 {
			delete(c.pending[dir], f.channel)
			c.done(m)
		}
	case 3:
		m := c.pending[dir][f.channel]
		if m == nil {
			return
		}
		m.body = append(m.body, f.payload...)
		if uint64(len(m.body)) >= m.size {
			delete(c.pending[dir], f.channel)
			c.done(m)
		}
	}
}

// method reads the methods the page needs and passes over the rest.
func (c *amqpConn) method(toBroker bool, f frame) {
	r := &fields{b: f.payload}
	id := uint32(r.u16())<<16 | uint32(r.u16())
	switch {
	case id == 40<<16|10 && toBroker: // Exchange.Declare
		r.u16()
		name, kind := r.shortstr(), r.shortstr()
		c.t.declareExchange(name, kind)
	case id == 50<<16|10 && toBroker: // Queue.Declare
		r.u16()
		name := r.shortstr()
		bits := r.u8()
		c.declares[f.channel] = queueDeclare{name: name, exclusive: bits&4 != 0}
	case id == 50<<16|11 && !toBroker: // Queue.Declare-Ok
		d := c.declares[f.channel]
		delete(c.declares, f.channel)
		c.t.declareQueue(r.shortstr(), d.exclusive)
	case id == 50<<16|20 && toBroker: // Queue.Bind
		r.u16()
		q, ex, key := r.shortstr(), r.shortstr(), r.shortstr()
		c.t.bind(binding{exchange: ex, queue: q, key: key})
	case id == 60<<16|20 && toBroker: // Basic.Consume
		r.u16()
		c.consumes[f.channel] = r.shortstr()
	case id == 60<<16|21 && !toBroker: // Basic.Consume-Ok
		tag := r.shortstr()
		c.t.consume(tag, c.consumes[f.channel])
		c.tags[f.channel] = append(c.tags[f.channel], tag)
	case id == 20<<16|40: // Channel.Close, either way: its consumers stop
		c.stopConsumers(f.channel)
	case id == 10<<16|50: // Connection.Close
		c.stopAll()
	case id == 60<<16|30 && toBroker: // Basic.Cancel
		c.t.cancel(r.shortstr())
	case id == 60<<16|40 && toBroker: // Basic.Publish
		r.u16()
		ex, key := r.shortstr(), r.shortstr()
		c.pending[1][f.channel] = &content{publish: true, exchange: ex, key: key}
	case id == 60<<16|60 && !toBroker: // Basic.Deliver
		tag := r.shortstr()
		r.u64()
		r.u8()
		ex, key := r.shortstr(), r.shortstr()
		c.pending[0][f.channel] = &content{exchange: ex, key: key, tag: tag}
	}
}

// stopConsumers tells the page that the consumers on channel ch stopped.
func (c *amqpConn) stopConsumers(ch uint16) {
	for _, tag := range c.tags[ch] {
		c.t.cancel(tag)
	}
	delete(c.tags, ch)
}

// stopAll tells the page that every consumer of the connection stopped.
func (c *amqpConn) stopAll() {
	for ch := range c.tags {
		c.stopConsumers(ch)
	}
}

// done tells the page of a whole publish or delivery.
func (c *amqpConn) done(m *content) {
	if m.publish {
		c.t.published(c.id, m)
	} else {
		c.t.delivered(m)
	}
}

// exchangeType is an exchange's type: as declared, or as the broker's
// predeclared ones are named (amq.topic is a topic exchange).
func (t *amqpTap) exchangeType(name string) string {
	if k, ok := t.exchanges[name]; ok {
		return k
	}
	if name == "" {
		return "direct"
	}
	if k, ok := strings.CutPrefix(name, "amq."); ok {
		return k
	}
	return "direct"
}

// route is where the exchange sends a message with key: the queues
// bound with a matching key.
func (t *amqpTap) route(exchange, key string) []string {
	if exchange == "" {
		return []string{key} // the default exchange: the queue named key
	}
	kind := t.exchangeType(exchange)
	var qs []string
	seen := map[string]bool{}
	for _, b := range t.bindings {
		if b.exchange != exchange || seen[b.queue] {
			continue
		}
		if kind == "fanout" || (kind == "topic" && topicMatch(b.key, key)) || (kind == "direct" && b.key == key) {
			qs = append(qs, b.queue)
			seen[b.queue] = true
		}
	}
	return qs
}

// topicMatch says whether a topic binding's pattern matches key: words
// split by dots, "*" one word, "#" zero or more.
func topicMatch(pattern, key string) bool {
	return wordsMatch(strings.Split(pattern, "."), strings.Split(key, "."))
}

func wordsMatch(p, k []string) bool {
	switch {
	case len(p) == 0:
		return len(k) == 0
	case p[0] == "#":
		for i := 0; i <= len(k); i++ {
			if wordsMatch(p[1:], k[i:]) {
				return true
			}
		}
		return false
	case len(k) == 0:
		return false
	case p[0] == "*" || p[0] == k[0]:
		return wordsMatch(p[1:], k[1:])
	}
	return false
}
