package main

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// promises are lines the whole tour must print, in this order, in each
// language: one or two per lesson, each something the lesson is there
// to show. Where a line is program output or bytes on the wire, it reads
// the same in both.
//
// Round robin with prefetch 1 gives each of the three workers one task
// first, then the next task to whichever worker is free: on a loaded
// machine one may fall behind and do two while another does four. So
// each worker must show up with some tasks, not necessarily three.
var promises = map[language][]string{
	english: {
		`━━ Lesson 01 · REST vs RPC ━━`,
		`add\(2, 3\) = 5;  divide\(1, 0\) → error: .*division by zero`,
		`on the wire: 191 bytes sent, 189 bytes received`,
		`on the wire: 30 bytes sent, 26 bytes received`,
		`━━ Lesson 02 · XML-RPC ━━`,
		`<methodName>add</methodName>`,
		`Fault -32500: integer division or modulo by zero`,
		`single +server: 4 × sleep\(200 ms\) in parallel took`,
		`━━ Lesson 03 · JSON-RPC 2.0 ━━`,
		`→ \{"jsonrpc":"2.0","method":"add","params":\[2,3\],"id":1\}`,
		`batch → multiply\(2, 3\) = 6, subtract\(2, 3\) = 1, and one notification`,
		`host.get → hostid 10084  Zabbix server`,
		`━━ Lesson 04 · zerorpc ━━`,
		`the request frame, 57 bytes of MessagePack`,
		`RemoteError ZeroDivisionError: division by zero`,
		`\[add divide hello multiply subtract\]`,
		`━━ Lesson 05 · AMQP on RabbitMQ ━━`,
		`consumer: received "Hello World!", then acked it`,
		`key "kern.info" +→ queue kern-star`,
		`key "cron.daily" +→ no binding matches: the exchange drops it`,
		`worker-1 handled [1-7] tasks`,
		`worker-2 handled [1-7] tasks`,
		`worker-3 handled [1-7] tasks`,
		`━━ Lesson 06 · OpenStack-style RPC ━━`,
		`→ answered by server0\d`,
		`call whoami on target test.server02 → answered by server02`,
		`UnsupportedVersion: Endpoint does not support RPC version 2.0. Attempted method: test`,
		`server01: test\(arg="waited in the queue"\)`,
		`━━ Lesson 07 · Notifications ━━`,
		`log: level=WARN msg="event type is not in the allowed list" event_type=compute.instance.create.fail`,
		`notifications.info +messages=2 consumers=0`,
		`\[ERROR\] compute.host1 compute.instance.create.fail`,
		`Tour done: 7 lesson\(s\) ran`,
	},
	chinese: {
		`━━ 第 01 课 · REST 与 RPC ━━（原文：8.9.1 既 REST，何 RPC？）`,
		`add\(2, 3\) = 5；divide\(1, 0\) → 报错：.*division by zero`,
		`实际传输：发送 191 字节，接收 189 字节`,
		`实际传输：发送 30 字节，接收 26 字节`,
		`━━ 第 02 课 · XML-RPC ━━`,
		`<methodName>add</methodName>`,
		`Fault -32500: integer division or modulo by zero`,
		`single +服务端：4 个 sleep\(200 ms\) 同时调用，共耗时 \S+，同一时刻最多执行 1 个`,
		`━━ 第 03 课 · JSON-RPC 2.0 ━━`,
		`→ \{"jsonrpc":"2.0","method":"add","params":\[2,3\],"id":1\}`,
		`批量请求 → multiply\(2, 3\) = 6，subtract\(2, 3\) = 1，外加一个通知`,
		`host.get → hostid 10084  Zabbix server`,
		`━━ 第 04 课 · zerorpc ━━`,
		`请求帧，57 字节的 MessagePack`,
		`RemoteError ZeroDivisionError: division by zero`,
		`\[add divide hello multiply subtract\]`,
		`━━ 第 05 课 · RabbitMQ 上的 AMQP ━━`,
		`消费者：收到 "Hello World!"，处理完后确认（ack）`,
		`路由键 "kern.info" +→ 队列 kern-star`,
		`路由键 "cron.daily" +→ 没有匹配的绑定：交换机直接丢弃`,
		`worker-1 处理了 [1-7] 个任务`,
		`worker-2 处理了 [1-7] 个任务`,
		`worker-3 处理了 [1-7] 个任务`,
		`━━ 第 06 课 · OpenStack 式 RPC ━━`,
		`→ 由 server0\d 应答`,
		`向 target test.server02 call whoami → 由 server02 应答`,
		`UnsupportedVersion: Endpoint does not support RPC version 2.0. Attempted method: test`,
		`server01: test\(arg="waited in the queue"\)`,
		`━━ 第 07 课 · 事件通知 ━━`,
		`log: level=WARN msg="event type is not in the allowed list" event_type=compute.instance.create.fail`,
		`notifications.info +messages=2 consumers=0`,
		`\[ERROR\] compute.host1 compute.instance.create.fail`,
		`导览结束：共运行了 7 课`,
	},
}

// The whole tour runs in each language, with the broker lessons on the
// test's broker, and says what it promises to. Every line of prose is in
// the language asked for: Chinese prose has Chinese in every line, and
// English prose has none (the article's section titles are in headings,
// not prose). And no format string misses or leaves over an argument.
func TestTourRunsEveryLessonInEnglishAndInChinese(t *testing.T) {
	b := broker.Get(t)
	for _, lang := range []language{english, chinese} {
		t.Run(lang.String(), func(t *testing.T) {
			// A vhost of its own: each run finds the queues as the tour left
			// them on a fresh broker.
			t.Setenv("AMQP_URL", b.NewVhost(t))
			var out bytes.Buffer
			g := &guide{out: &out, in: bufio.NewReader(strings.NewReader("")), lang: lang}
			ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
			defer cancel()
			if err := g.run(ctx, 0); err != nil {
				t.Fatalf("tour: %v\n%s", err, out.String())
			}
			checkInOrder(t, out.String(), promises[lang])
			checkProseIsIn(t, lang, out.String())
			// Each language has its own format string: a verb one of them
			// lacks or adds shows as %!d(MISSING) or %!(EXTRA …).
			if strings.Contains(out.String(), "%!") {
				t.Errorf("a format string does not fit its arguments:\n%s", out.String())
			}
		})
	}
}

// The single-threaded XML-RPC server really serves one call at a time
// and the concurrent one does not: the tour counts the sleep calls in
// flight on the server, so no stopwatch is needed.
func TestTourCountsOneCallAtATimeOnlyOnTheSingleThreadedXMLRPCServer(t *testing.T) {
	var out bytes.Buffer
	g := &guide{out: &out, in: bufio.NewReader(strings.NewReader(""))}
	if err := g.run(t.Context(), 2); err != nil {
		t.Fatal(err)
	}
	most := map[string]int{}
	re := regexp.MustCompile(`(?m)^\s+(\w+)\s+server: 4 × sleep\(200 ms\) in parallel took \S+, at most (\d+) at once$`)
	for _, m := range re.FindAllStringSubmatch(out.String(), -1) {
		n, err := strconv.Atoi(m[2])
		if err != nil {
			t.Fatal(err)
		}
		most[m[1]] = n
	}
	if most["single"] != 1 || most["concurrent"] < 2 {
		t.Errorf("calls at once: single %d (want 1), concurrent %d (want more than 1)\n%s",
			most["single"], most["concurrent"], out.String())
	}
}

// -lesson runs one lesson; a number out of range is an error, not a
// silent no-op.
func TestTourRunsOnlyTheLessonAskedForAndRejectsANumberOutOfRange(t *testing.T) {
	var out bytes.Buffer
	g := &guide{out: &out, in: bufio.NewReader(strings.NewReader(""))}
	if err := g.run(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Lesson 02") || !strings.Contains(out.String(), "Tour done: 1 lesson(s) ran") {
		t.Errorf("-lesson 1 ran more or less than lesson 1:\n%s", out.String())
	}
	if err := g.run(t.Context(), 99); err == nil {
		t.Error("-lesson 99: want an error")
	}
}

// -pause waits for Enter after each lesson.
func TestTourPausesForEnter(t *testing.T) {
	var out bytes.Buffer
	g := &guide{out: &out, in: bufio.NewReader(strings.NewReader("\n")), pause: true}
	if err := g.run(t.Context(), 1); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[Enter] for the next lesson") {
		t.Errorf("no pause prompt:\n%s", out.String())
	}
}

// checkProseIsIn fails the test if a line of the tour's prose (marked
// with │) is not in lang: in Chinese every line holds Han characters, in
// English none does.
func checkProseIsIn(t *testing.T, lang language, out string) {
	t.Helper()
	for line := range strings.Lines(out) {
		prose, ok := strings.CutPrefix(strings.TrimSpace(line), "│ ")
		if !ok {
			continue
		}
		if hasHan := strings.ContainsFunc(prose, func(r rune) bool { return unicode.Is(unicode.Han, r) }); hasHan != (lang == chinese) {
			t.Errorf("%s tour, prose in the wrong language: %s", lang, prose)
		}
	}
}

func checkInOrder(t *testing.T, out string, patterns []string) {
	t.Helper()
	rest := out
	for _, p := range patterns {
		loc := regexp.MustCompile(p).FindStringIndex(rest)
		if loc == nil {
			t.Fatalf("tour output lacks %q (in order):\n%s", p, out)
		}
		rest = rest[loc[1]:]
	}
}
