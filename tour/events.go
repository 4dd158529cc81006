package main

import (
	"bytes"
	"encoding/hex"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"
)

// An event is one thing the web page draws: a line of the tour's text,
// an actor that appeared, a message that crossed a socket or the broker,
// or a queue's depth as the broker reported it. Every event comes from
// the real run: the text from the guide's own lines, the messages from
// taps on the lessons' sockets and on their AMQP connection.
type event struct {
	Seq    int               `json:"seq"`
	T      int64             `json:"t"` // milliseconds since the run started
	Kind   string            `json:"kind"`
	Lesson int               `json:"lesson"`
	Text   string            `json:"text,omitempty"`
	Role   string            `json:"role,omitempty"` // an actor's role: client, server, publisher, exchange, queue, consumer
	ID     string            `json:"id,omitempty"`   // an actor's id, or a message's
	From   string            `json:"from,omitempty"`
	To     []string          `json:"to,omitempty"`
	Label  string            `json:"label,omitempty"`
	Enc    string            `json:"enc,omitempty"` // how Bytes is written: text or hex
	Bytes  string            `json:"bytes,omitempty"`
	Size   int               `json:"size,omitempty"`
	Props  map[string]string `json:"props,omitempty"`
	Depth  int               `json:"depth"`
	Parent string            `json:"parent,omitempty"` // the exchange a queue is bound to, the queue a consumer reads
}

// Event kinds.
const (
	kindRun     = "run"     // a run starts: the page forgets the last one
	kindEnd     = "end"     // the run ended; Text says how
	kindHeading = "heading" // a lesson's heading line
	kindSay     = "say"     // a line the guide says
	kindExplain = "explain" // a line of the guide's explanation
	kindActor   = "actor"   // an actor appears
	kindMsg     = "msg"     // a message travels From → To
	kindRoute   = "route"   // the exchange From routes message ID to the queues To
	kindDeliver = "deliver" // the broker delivers a message from queue From to consumer To
	kindDepth   = "depth"   // queue ID holds Depth messages, says the broker
	kindBind    = "bind"    // queue ID is bound to exchange Parent with key Label
	kindGone    = "gone"    // consumer ID stopped consuming
)

// A hub keeps the events of the current run and hands them to every
// page that listens. A page that comes late, or a second tab, gets the
// whole run from its start. A page that does not keep up is dropped,
// never waited for: the tour does not slow down for a browser.
type hub struct {
	mu      sync.Mutex
	log     []event
	start   time.Time
	lesson  int
	runs    int // runs so far: a page tells a new run from a replayed one
	clients map[chan event]struct{}
	closed  bool
}

// clientBuffer is how many events a page may fall behind before it is
// dropped (its browser reconnects and replays the log).
const clientBuffer = 4096

func newHub() *hub { return &hub{clients: map[chan event]struct{}{}, start: time.Now()} }

// begin starts a new run of lesson: the log starts again.
func (h *hub) begin(lesson int) {
	h.mu.Lock()
	h.log, h.start, h.lesson = nil, time.Now(), lesson
	h.runs++
	runs := h.runs
	h.mu.Unlock()
	h.publish(event{Kind: kindRun, Label: strconv.Itoa(runs)})
}

// publish stamps e and sends it to every page.
func (h *hub) publish(e event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	e.Seq = len(h.log)
	e.T = time.Since(h.start).Milliseconds()
	if e.Lesson == 0 {
		e.Lesson = h.lesson
	}
	h.log = append(h.log, e)
	for c := range h.clients {
		select {
		case c <- e:
		default: // too slow: drop it, its browser comes back for the log
			delete(h.clients, c)
			close(c)
		}
	}
}

// subscribe returns the run so far and a channel for what follows; the
// channel is closed when the page is dropped or the hub closes.
func (h *hub) subscribe() ([]event, chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	c := make(chan event, clientBuffer)
	if h.closed {
		close(c)
		return nil, c
	}
	h.clients[c] = struct{}{}
	return append([]event(nil), h.log...), c
}

func (h *hub) unsubscribe(c chan event) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, ok := h.clients[c]; ok {
		delete(h.clients, c)
		close(c)
	}
}

// close ends every page's stream.
func (h *hub) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.closed = true
	for c := range h.clients {
		close(c)
	}
	h.clients = map[chan event]struct{}{}
}

// events returns a copy of the log.
func (h *hub) events() []event {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]event(nil), h.log...)
}

// A lineWriter turns the guide's printed lines into events: the page
// shows the very text the terminal tour prints, in the tour's language.
type lineWriter struct {
	h       *hub
	mu      sync.Mutex
	partial []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.partial = append(w.partial, p...)
	for {
		i := bytes.IndexByte(w.partial, '\n')
		if i < 0 {
			break
		}
		w.line(string(w.partial[:i]))
		w.partial = w.partial[i+1:]
	}
	return len(p), nil
}

func (w *lineWriter) line(l string) {
	trimmed := strings.TrimSpace(l)
	switch {
	case trimmed == "":
		return
	case strings.HasPrefix(trimmed, "━━"):
		w.h.publish(event{Kind: kindHeading, Text: trimmed})
	case strings.HasPrefix(trimmed, "│"):
		w.h.publish(event{Kind: kindExplain, Text: strings.TrimSpace(strings.TrimPrefix(trimmed, "│"))})
	default:
		w.h.publish(event{Kind: kindSay, Text: strings.TrimRight(l, " ")})
	}
}

// payload says how the page should show b: as text when it is
// printable UTF-8 (HTTP, JSON, XML), else as a hex dump (MessagePack,
// gob, ZeroMQ framing).
func payload(b []byte) (enc, shown string) {
	if utf8.Valid(b) && printable(b) {
		return "text", string(b)
	}
	return "hex", hexDump(b)
}

func printable(b []byte) bool {
	for _, r := range string(b) {
		if r < 0x20 && r != '\n' && r != '\r' && r != '\t' {
			return false
		}
	}
	return true
}

// hexDump writes b as encoding/hex's dump does, offset, hex and ASCII,
// and at most its first 1 KiB.
func hexDump(b []byte) string {
	const most = 1024
	if len(b) > most {
		return hex.Dump(b[:most]) + "…\n"
	}
	return hex.Dump(b)
}
