package main

import (
	"bufio"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// The page's assets live in the binary: the tour's web page works
// offline, with no build step and nothing from a CDN.
//
//go:embed web
var webFiles embed.FS

// pageTmpl is the one page; each lesson's address serves it with that
// lesson chosen.
var pageTmpl = template.Must(template.ParseFS(webFiles, "web/index.html"))

// A webTour serves the tour as a web page: it runs one lesson at a time
// when the page asks, and streams the run's events to every open tab.
type webTour struct {
	ctx  context.Context
	h    *hub
	lang language
	log  io.Writer // where the server says what it does

	mu       sync.Mutex
	running  bool
	runs     sync.WaitGroup
	upstream string         // the broker's URL, once there is one
	started  *broker.Broker // the broker this tour started
	tap      *amqpTap
}

// serveWeb serves the page on addr (127.0.0.1 only) until ctx ends. Its
// first line on out is the page's address.
func serveWeb(ctx context.Context, addr string, lang language, out io.Writer) error {
	ln, err := listenLoopback(addr)
	if err != nil {
		return err
	}
	w := &webTour{ctx: ctx, h: newHub(), lang: lang, log: out}
	socketTap.Store(w.h)
	defer socketTap.Store(nil)
	srv := &http.Server{Handler: w.handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(out, "open http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err = <-errc:
	case <-ctx.Done():
	}
	w.h.close() // ends the event streams, so Shutdown need not wait for them
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	srv.Shutdown(shutdownCtx)
	w.runs.Wait()
	w.closeBroker(shutdownCtx)
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenLoopback listens on addr, which must be on the loopback
// interface: the page runs code on this machine, so no one else may
// reach it.
func listenLoopback(addr string) (net.Listener, error) {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return nil, fmt.Errorf("-addr %s: %w", addr, err)
	}
	if host == "" || host == "localhost" {
		host = "127.0.0.1"
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return nil, fmt.Errorf("-addr %s: the tour's page listens on 127.0.0.1 only", addr)
	}
	return net.Listen("tcp", net.JoinHostPort(host, port))
}

func (w *webTour) handler() http.Handler {
	mux := http.NewServeMux()
	assets, _ := fs.Sub(webFiles, "web")
	mux.Handle("GET /assets/", http.StripPrefix("/assets/", http.FileServerFS(assets)))
	mux.HandleFunc("GET /{$}", func(rw http.ResponseWriter, r *http.Request) { w.page(rw, 1) })
	mux.HandleFunc("GET /lesson/{n}", func(rw http.ResponseWriter, r *http.Request) {
		n, ok := lessonNumber(r.PathValue("n"))
		if !ok {
			http.Error(rw, fmt.Sprintf("There is no lesson %q: the tour has lessons 1 to %d, at /lesson/1 … /lesson/%d.",
				r.PathValue("n"), len(lessons), len(lessons)), http.StatusNotFound)
			return
		}
		w.page(rw, n)
	})
	mux.HandleFunc("GET /events", w.events)
	mux.HandleFunc("POST /run", w.startRun)
	return mux
}

// lessonNumber parses a lesson's number, 1 … 7.
func lessonNumber(s string) (int, bool) {
	n, err := strconv.Atoi(s)
	return n, err == nil && n >= 1 && n <= len(lessons)
}

// pageLesson is a lesson as the page's menu lists it.
type pageLesson struct {
	N           int
	Title       string
	NeedsBroker bool
}

func (w *webTour) page(rw http.ResponseWriter, n int) {
	var ls []pageLesson
	for _, l := range lessons {
		ls = append(ls, pageLesson{l.n, l.title.in(w.lang), l.needsBroker})
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	err := pageTmpl.Execute(rw, map[string]any{"Lang": w.lang.String(), "Lesson": n, "Lessons": ls})
	if err != nil {
		fmt.Fprintf(w.log, "page: %v\n", err)
	}
}

// startRun runs the lesson the page asks for, one run at a time.
func (w *webTour) startRun(rw http.ResponseWriter, r *http.Request) {
	n, ok := lessonNumber(r.FormValue("lesson"))
	if !ok {
		http.Error(rw, "No such lesson: ask for lesson=1 … 7.", http.StatusNotFound)
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.running {
		http.Error(rw, "A lesson is running; wait until it ends.", http.StatusConflict)
		return
	}
	if w.ctx.Err() != nil {
		http.Error(rw, "The tour is stopping.", http.StatusServiceUnavailable)
		return
	}
	w.running = true
	w.runs.Add(1)
	go w.run(n)
	rw.WriteHeader(http.StatusAccepted)
}

// run runs lesson n as the terminal tour would, its text and taps going
// to the page.
func (w *webTour) run(n int) {
	defer w.runs.Done()
	defer func() {
		w.mu.Lock()
		w.running = false
		w.mu.Unlock()
	}()
	w.h.begin(n)
	start := time.Now()
	lw := &lineWriter{h: w.h}
	g := &guide{out: lw, in: bufio.NewReader(strings.NewReader("")), lang: w.lang}
	if lessons[n-1].needsBroker {
		w.brokerFor(g)
	}
	err := g.run(w.ctx, n)
	took := time.Since(start).Round(time.Millisecond)
	status := "done"
	if err != nil {
		status = "error: " + err.Error()
		g.say("%v", err)
	}
	w.h.publish(event{Kind: kindEnd, Text: status, Label: took.String()})
	fmt.Fprintf(w.log, "lesson %d: %s in %v, %d events\n", n, status, took, len(w.h.events()))
}

// brokerFor gives g the broker through the tap, starting one the first
// time (AMQP_URL, else Docker, as the terminal tour does); without one
// g says how to get one, as the terminal tour does.
func (w *webTour) brokerFor(g *guide) {
	if w.tap == nil {
		if !g.getBroker(w.ctx) {
			return // g keeps the reason and tells it
		}
		tap, err := newAMQPTap(w.h, g.amqpURL)
		if err != nil {
			g.amqpURL, g.brokerErr = "", err
			return
		}
		w.upstream, w.started, w.tap = g.amqpURL, g.started, tap
		g.started = nil // the web tour keeps it for the next runs
		go tap.pollDepths(w.ctx, w.upstream)
	}
	w.tap.reset()
	// Every broker lesson goes through the tap, lesson 06 too: on a
	// cluster the page shows (and lesson 06 uses) the first broker only.
	g.amqpURL, g.osloURL = w.tap.url, w.tap.url
}

func (w *webTour) closeBroker(ctx context.Context) {
	if w.tap != nil {
		w.tap.close()
	}
	if w.started != nil {
		w.started.Close(ctx)
	}
}

// events streams the run's events to one page as server-sent events:
// first the run so far, then each as it happens. A page that goes away
// or falls behind is let go; the run goes on.
func (w *webTour) events(rw http.ResponseWriter, r *http.Request) {
	rw.Header().Set("Content-Type", "text/event-stream")
	rw.Header().Set("Cache-Control", "no-cache")
	past, c := w.h.subscribe()
	defer w.h.unsubscribe(c)
	s := &sseWriter{w: rw, rc: http.NewResponseController(rw)}
	for _, e := range past {
		s.event(e)
	}
	if s.flush() != nil {
		return
	}
	ping := time.NewTicker(15 * time.Second)
	defer ping.Stop()
	for {
		select {
		case e, ok := <-c:
			if !ok {
				return
			}
			s.event(e)
		case <-ping.C:
			s.write([]byte(": ping\n\n"))
		case <-r.Context().Done():
			return
		}
		if s.flush() != nil {
			return
		}
	}
}

// An sseWriter writes server-sent events; each write may take at most
// sseWriteTimeout, so a browser that stops reading cannot hold its
// handler forever. The first error sticks.
type sseWriter struct {
	w   io.Writer
	rc  *http.ResponseController
	err error
}

const sseWriteTimeout = 10 * time.Second

func (s *sseWriter) write(b []byte) {
	if s.err != nil {
		return
	}
	s.rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout))
	_, s.err = s.w.Write(b)
}

func (s *sseWriter) event(e event) {
	b, err := json.Marshal(e)
	if err != nil {
		s.err = err
		return
	}
	s.write(append(append([]byte("data: "), b...), '\n', '\n'))
}

func (s *sseWriter) flush() error {
	if s.err == nil {
		s.rc.SetWriteDeadline(time.Now().Add(sseWriteTimeout))
		s.err = s.rc.Flush()
	}
	return s.err
}
