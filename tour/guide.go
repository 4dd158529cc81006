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
	title       text   // the lesson's own title
	section     string // the article's section title, as the article has it
	needsBroker bool
	run         func(ctx context.Context, g *guide) error
}

// lessons is the tour, in the article's order.
var lessons = []lesson{
	{1, "01-rest-vs-rpc", text{"REST vs RPC", "REST 与 RPC"},
		"8.9.1 既 REST，何 RPC？", false, restVsRPC},
	{2, "02-xmlrpc", text{"XML-RPC", "XML-RPC"},
		"8.9.2 实现远程调用的三种方式 · 01 基于 xml-rpc", false, xmlRPC},
	{3, "03-jsonrpc", text{"JSON-RPC 2.0", "JSON-RPC 2.0"},
		"8.9.2 实现远程调用的三种方式 · 02 基于 json-rpc", false, jsonRPC},
	{4, "04-zerorpc", text{"zerorpc", "zerorpc"},
		"8.9.2 实现远程调用的三种方式 · 03 基于 zerorpc", false, zeroRPC},
	{5, "05-amqp-basics", text{"AMQP on RabbitMQ", "RabbitMQ 上的 AMQP"},
		"8.9.3 往rpc中引入消息中间件 · 8.9.4 消息队列你应该知道什么？", true, amqpBasics},
	{6, "06-openstack-style", text{"OpenStack-style RPC", "OpenStack 式 RPC"},
		"8.9.5 OpenStack中如何使用RPC？ · 8.9.6 模仿OpenStack写rpc调用", true, openstackRPC},
	{7, "07-notify", text{"Notifications", "事件通知"},
		"8.9.7 如何实现 rpc 事件通知", true, notifications},
}

// A guide walks a student through the lessons: it prints in the
// student's language, pauses when asked to, and holds the one broker the
// broker lessons share.
//
// All output goes through three methods: [guide.say] prints a line as it
// is (program output, code, results), [guide.explain] prints the tour's
// prose, and [guide.wire] prints bytes as they crossed a socket. The
// tour's own words come in both languages, to [guide.tell] (a line, built
// on say) and to explain.
type guide struct {
	out   io.Writer
	in    *bufio.Reader
	lang  language // the language of the tour's own words; English when zero
	pause bool
	mu    sync.Mutex // servers print from their own goroutines

	amqpURL   string         // set once a broker is there; one host
	osloURL   string         // lesson 06's transport_url: every host of AMQP_URL
	brokerErr error          // why there is none
	started   *broker.Broker // the broker this tour started, removed at the end
}

// run runs lesson only, or all of them when only is 0.
func (g *guide) run(ctx context.Context, only int) error {
	if only != 0 && !slices.ContainsFunc(lessons, func(l lesson) bool { return l.n == only }) {
		return fmt.Errorf("-lesson %d: there are lessons %d to %d", only, lessons[0].n, lessons[len(lessons)-1].n)
	}
	defer g.closeBroker()
	g.tell("From 0 to 1: understanding RPC — the tour",
		"从0到1：全面理解RPC远程调用 —— 导览")
	g.tell("Every server below runs in this process on a free 127.0.0.1 port; every client is the lesson's own.",
		"下面每个服务端都跑在本进程里，各占 127.0.0.1 上的一个空闲端口；客户端用的都是各课自己的代码。")
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
			g.skipBroker()
			continue
		}
		if err := l.run(ctx, g); err != nil {
			return fmt.Errorf("lesson %02d (%s): %w", l.n, l.title.en, err)
		}
		ran++
		g.wait()
	}
	g.say("")
	g.tell("Tour done: %d lesson(s) ran. Each lesson's README (./%s … ./%s) goes deeper.",
		"导览结束：共运行了 %d 课。想深入了解，请看各课的 README.zh.md（./%s … ./%s）。",
		ran, lessons[0].dir, lessons[len(lessons)-1].dir)
	return nil
}

// heading opens a lesson with its title and the article's section.
func (g *guide) heading(l lesson) {
	g.say("")
	g.tell("━━ Lesson %02d · %s ━━ (article: %s)", "━━ 第 %02d 课 · %s ━━（原文：%s）",
		l.n, l.title.in(g.lang), l.section)
}

// say prints one line (or a formatted paragraph) as it is: program
// output, code, results.
func (g *guide) say(format string, args ...any) {
	g.mu.Lock()
	defer g.mu.Unlock()
	fmt.Fprintf(g.out, format+"\n", args...)
}

// tell prints one line in the tour's own words: the format en or zh,
// whichever is the guide's language, with args.
func (g *guide) tell(en, zh string, args ...any) {
	g.say(text{en, zh}.in(g.lang), args...)
}

// explain prints a short explanation in the guide's language, en or zh,
// indented and marked as prose.
func (g *guide) explain(en, zh string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSpace(text{en, zh}.in(g.lang)), "\n") {
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
			more := text{"…(%d more lines)", "…（还有 %d 行）"}.in(g.lang)
			fmt.Fprintf(g.out, "    %s "+more+"\n", dir, len(lines)-i)
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
	g.tell("\n[Enter] for the next lesson… ", "\n按回车键进入下一课… ")
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
		first, hosts := firstHost(u)
		g.amqpURL, g.osloURL = first, u
		if hosts > 1 {
			g.tell("  AMQP_URL names %d brokers: running on a cluster (lesson 06 fails over between them; 05 and 07 use the first).",
				"  AMQP_URL 里有 %d 个节点：在集群上运行（第 06 课会在它们之间故障转移；第 05、07 课只用第一个）。", hosts)
		}
		return true
	}
	g.tell("  Starting RabbitMQ in Docker for the broker lessons (first time: a few seconds)…",
		"  正在用 Docker 启动 RabbitMQ，供需要消息中间件的几课使用（第一次要等几秒）…")
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
	g.amqpURL, g.osloURL = b.URL(), b.URL()
	g.tell("  RabbitMQ %s is up at %s.", "  RabbitMQ %s 已在 %s 就绪。", b.Version(), b.URL())
	return true
}

// firstHost splits an AMQP_URL that names several hosts the way a
// transport_url does (amqp://u:p@h1:5672,u:p@h2:5673/vhost): it returns
// the URL of the first host alone, for the lessons that dial one broker,
// and how many hosts there are. The query, oslo's driver options, is for
// lesson 06 only and is left out, and oslo's scheme rabbit (or kombu)
// becomes amqp.
func firstHost(raw string) (string, int) {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw, 1
	}
	fromOslo := scheme == "rabbit" || scheme == "kombu"
	if fromOslo {
		scheme = "amqp"
	}
	netloc, path := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		netloc, path = rest[:i], rest[i:]
	}
	hosts := strings.Split(netloc, ",")
	path, _, _ = strings.Cut(path, "?")
	if len(hosts) < 2 && !fromOslo {
		return raw, 1 // an amqp URL of one broker, as it is
	}
	if len(hosts) < 2 {
		return scheme + "://" + netloc + path, 1
	}
	return scheme + "://" + hosts[0] + path, len(hosts)
}

// howToZh is [broker.HowTo] for a Chinese student.
const howToZh = "启动 Docker（导览会在容器里启动 RabbitMQ，镜像由 RABBITMQ_IMAGE 指定），" +
	"或者运行 docker compose up -d 并设置 AMQP_URL=amqp://guest:guest@127.0.0.1:5672/，" +
	"或者把 AMQP_URL 指向任意一个 RabbitMQ"

// skipBroker says why a broker lesson cannot run, and how to get a
// broker.
func (g *guide) skipBroker() {
	why := g.brokerErr.Error()
	if errors.Is(g.brokerErr, broker.ErrNoBroker) && g.lang == chinese {
		why = "没有 RabbitMQ：既没有设置 AMQP_URL，也没有能用的 Docker 引擎"
	}
	g.tell("  (skipped: %s)", "  （已跳过：%s）", why)
	g.tell("  To run it: %s.", "  要运行这一课：%s。", text{broker.HowTo, howToZh}.in(g.lang))
}

func (g *guide) closeBroker() {
	if g.started == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	_ = g.started.Close(ctx)
}
