package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	tclog "github.com/testcontainers/testcontainers-go/log"
)

// A lesson is one stop of the tour: the article's section it makes
// runnable and the code that runs it.
type lesson struct {
	n           int
	dir         string
	title       string // the lesson's own title
	section     string // the article's section title, as the article has it
	needsBroker bool
	run         func(ctx context.Context, g *guide) error
}

// lessons is the tour, in the article's order.
var lessons = []lesson{
	{1, "01-rest-vs-rpc", "REST vs RPC", "8.9.1 既 REST，何 RPC？", false, restVsRPC},
	{2, "02-xmlrpc", "XML-RPC", "8.9.2 实现远程调用的三种方式 · 01 基于 xml-rpc", false, xmlRPC},
	{3, "03-jsonrpc", "JSON-RPC 2.0", "8.9.2 实现远程调用的三种方式 · 02 基于 json-rpc", false, jsonRPC},
	{4, "04-zerorpc", "zerorpc", "8.9.2 实现远程调用的三种方式 · 03 基于 zerorpc", false, zeroRPC},
	{5, "05-amqp-basics", "AMQP on RabbitMQ", "8.9.3 往rpc中引入消息中间件 · 8.9.4 消息队列你应该知道什么？", true, amqpBasics},
	{6, "06-openstack-style", "OpenStack-style RPC", "8.9.5 OpenStack中如何使用RPC？ · 8.9.6 模仿OpenStack写rpc调用", true, openstackRPC},
	{7, "07-notify", "Notifications", "8.9.7 如何实现 rpc 事件通知", true, notifications},
}

// A guide walks a student through the lessons: it prints, pauses when
// asked to, and holds the one broker the broker lessons share.
type guide struct {
	out   io.Writer
	in    *bufio.Reader
	pause bool
	mu    sync.Mutex // servers print from their own goroutines

	amqpURL   string         // set once a broker is there
	brokerErr error          // why there is none
	started   *broker.Broker // the broker this tour started, removed at the end
}

// run runs lesson only, or all of them when only is 0.
func (g *guide) run(ctx context.Context, only int) error {
	if only != 0 && !slices.ContainsFunc(lessons, func(l lesson) bool { return l.n == only }) {
		return fmt.Errorf("-lesson %d: there are lessons %d to %d", only, lessons[0].n, lessons[len(lessons)-1].n)
	}
	defer g.closeBroker()
	g.say("From 0 to 1: understanding RPC — the tour")
	g.say("Every server below runs in this process on a free 127.0.0.1 port; every client is the lesson's own.")
	ran := 0
	for _, l := range lessons {
		if only != 0 && l.n != only {
			continue
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		g.heading(l)
		if l.needsBroker && !g.getBroker(ctx) {
			g.say("  (skipped: %v)", g.brokerErr)
			g.say("  To run it: %s.", broker.HowTo)
			continue
		}
		if err := l.run(ctx, g); err != nil {
			return fmt.Errorf("lesson %02d (%s): %w", l.n, l.title, err)
		}
		ran++
		g.wait()
	}
	g.say("")
	g.say("Tour done: %d lesson(s) ran. Each lesson's README (./%s … ./%s) goes deeper.",
		ran, lessons[0].dir, lessons[len(lessons)-1].dir)
	return nil
}

func (g *guide) heading(l lesson) {
	g.say("")
	g.say("━━ Lesson %02d · %s ━━ (article: %s)", l.n, l.title, l.section)
}

// say prints one line (or a formatted paragraph) of the tour.
func (g *guide) say(format string, args ...any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fmt.Fprintf(g.out, format+"\n", args...)
}

// explain prints a short explanation, indented and marked as prose.
func (g *guide) explain(text string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(text), "\n") {
		fmt.Fprintf(g.out, "  │ %s\n", strings.TrimSpace(line))
	}
}

// wire prints bytes as they crossed the socket, line by line, with a
// direction marker (none when the bytes carry their own), so that a
// student sees the protocol itself.
func (g *guide) wire(dir string, b []byte, maxLines int) {
	g.mu.Lock()
	defer g.mu.Unlock()
	lines := strings.Split(strings.TrimRight(string(b), "\r\n"), "\n")
	for i, l := range lines {
		if i == maxLines {
			fmt.Fprintf(g.out, "    %s …(%d more lines)\n", dir, len(lines)-i)
			break
		}
		if dir == "" {
			fmt.Fprintf(g.out, "    %s\n", strings.TrimRight(l, "\r"))
			continue
		}
		fmt.Fprintf(g.out, "    %s %s\n", dir, strings.TrimRight(l, "\r"))
	}
}

// wait pauses for Enter in a classroom.
func (g *guide) wait() {
	if !g.pause {
		return
	}
	g.say("\n[Enter] for the next lesson… ")
	_, _ = g.in.ReadString('\n')
}

// getBroker finds RabbitMQ once for all broker lessons: AMQP_URL, or a
// container started like the tests start one.
func (g *guide) getBroker(ctx context.Context) bool {
	if g.amqpURL != "" {
		return true
	}
	if g.brokerErr != nil {
		return false
	}
	if u := os.Getenv("AMQP_URL"); u != "" {
		g.amqpURL = u
		return true
	}
	g.say("  Starting RabbitMQ in Docker for the broker lessons (first time: a few seconds)…")
	// The tour says itself what it starts; testcontainers' own log would
	// bury that under container ids.
	tclog.SetDefault(tclog.NewNoopLogger())
	openCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	b, err := broker.Open(openCtx)
	if err != nil {
		if errors.Is(err, broker.ErrNoBroker) {
			g.brokerErr = broker.ErrNoBroker
		} else {
			g.brokerErr = err
		}
		return false
	}
	g.started = b
	g.amqpURL = b.URL()
	g.say("  RabbitMQ %s is up at %s.", b.Version(), b.URL())
	return true
}

func (g *guide) closeBroker() {
	if g.started == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = g.started.Close(ctx)
}
