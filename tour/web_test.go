package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// lockedBuffer is what serveWeb prints to, read while it runs.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// startWeb serves the tour's page for the test and returns its address,
// as the first line printed says it.
func startWeb(t *testing.T) (string, *lockedBuffer) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &lockedBuffer{}
	done := make(chan error, 1)
	go func() { done <- serveWeb(ctx, "127.0.0.1:0", english, out) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serveWeb: %v", err)
		}
	})
	for range 500 {
		if first, _, ok := strings.Cut(out.String(), "\n"); ok {
			url, found := strings.CutPrefix(first, "open ")
			if !found || !strings.HasPrefix(url, "http://127.0.0.1:") {
				t.Fatalf("first line %q: want open http://127.0.0.1:PORT/", first)
			}
			return url, out
		}
		time.Sleep(10 * time.Millisecond)
	}
	t.Fatal("serveWeb printed no address")
	return "", nil
}

// stream reads one page's server-sent events until the run ends.
func stream(t *testing.T, url string) (<-chan event, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(t.Context())
	req, _ := http.NewRequestWithContext(ctx, "GET", url+"events", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	c := make(chan event, clientBuffer)
	go func() {
		defer close(c)
		defer resp.Body.Close()
		sc := bufio.NewScanner(resp.Body)
		sc.Buffer(nil, 1<<20)
		for sc.Scan() {
			data, ok := strings.CutPrefix(sc.Text(), "data: ")
			if !ok {
				continue
			}
			var e event
			if json.Unmarshal([]byte(data), &e) == nil {
				c <- e
			}
		}
	}()
	return c, cancel
}

// untilEnd collects events up to the end of a run.
func untilEnd(t *testing.T, c <-chan event) []event {
	t.Helper()
	var got []event
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case e, ok := <-c:
			if !ok {
				t.Fatalf("stream ended after %d events, before the run did", len(got))
			}
			got = append(got, e)
			if e.Kind == kindEnd {
				return got
			}
		case <-timeout:
			t.Fatalf("no end of run after %d events", len(got))
		}
	}
}

func postRun(t *testing.T, url string, lesson string) int {
	t.Helper()
	resp, err := http.Post(url+"run?lesson="+lesson, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp.StatusCode
}

// Two tabs each see the whole run, a tab that closes mid-run does not
// stop it, and a tab that comes after the run still gets all of it.
func TestWebTabsEachSeeTheWholeRunAndAClosedTabDoesNotStopIt(t *testing.T) {
	url, out := startWeb(t)
	first, _ := stream(t, url)
	second, _ := stream(t, url)
	leaving, leave := stream(t, url)
	if code := postRun(t, url, "1"); code != http.StatusAccepted {
		t.Fatalf("POST /run?lesson=1: %d", code)
	}
	<-leaving
	leave()
	a, b := untilEnd(t, first), untilEnd(t, second)
	late, _ := stream(t, url)
	c := untilEnd(t, late)
	if len(a) != len(b) || len(a) != len(c) {
		t.Fatalf("events seen: first tab %d, second %d, late %d", len(a), len(b), len(c))
	}
	if a[len(a)-1].Text != "done" {
		t.Fatalf("run ended with %q\n%s", a[len(a)-1].Text, out)
	}
	msgs := 0
	for _, e := range a {
		if e.Kind == kindMsg {
			msgs++
		}
	}
	// Three styles, each with add, divide and a captured add: requests
	// and replies, drawn from the server's socket.
	if msgs < 12 {
		t.Errorf("lesson 1 drew %d messages; want at least 12", msgs)
	}
	t.Logf("lesson 1: %d events, %d messages; %s", len(a), msgs, strings.TrimSpace(out.String()))
}

// An unknown lesson is a 404 with a sentence; the page listens on the
// loopback only.
func TestWebAnswersAnUnknownLessonWith404AndListensOnLoopbackOnly(t *testing.T) {
	url, _ := startWeb(t)
	for _, path := range []string{"lesson/99", "lesson/0", "lesson/x"} {
		resp, err := http.Get(url + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(b), "lessons 1 to 7") {
			t.Errorf("GET /%s: %d %q; want 404 with a sentence", path, resp.StatusCode, b)
		}
	}
	for n := 1; n <= len(lessons); n++ {
		resp, err := http.Get(fmt.Sprintf("%slesson/%d", url, n))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET /lesson/%d: %d", n, resp.StatusCode)
		}
	}
	if code := postRun(t, url, "99"); code != http.StatusNotFound {
		t.Errorf("POST /run?lesson=99: %d; want 404", code)
	}
	for _, addr := range []string{"0.0.0.0:0", ":0x", "192.0.2.1:0"} {
		if ln, err := listenLoopback(addr); err == nil {
			ln.Close()
			t.Errorf("-addr %s: listened; want an error", addr)
		}
	}
}

// chromium finds the browser; outside CI a machine without one skips
// the browser test, in CI (CI=true) it fails.
func chromium(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("no chromium on PATH (CI=true): apt-get install chromium")
	}
	t.Skip("no chromium on PATH; apt-get install chromium to run the browser test")
	return ""
}

// The page in a real browser: lesson 05's round robin and lesson 06's
// fanout, run against the test's broker, are drawn as the broker moved
// them; a message's bytes show in the detail panel; the console stays
// free of errors. It writes a screenshot to
// TOUR_SCREENSHOT, else to tour-web-screenshot.png in the temporary folder.
func TestWebPageInChromiumDrawsRoundRobinAndFanoutFromTheRealRun(t *testing.T) {
	path := chromium(t)
	t.Setenv("AMQP_URL", broker.Get(t).NewVhost(t))
	url, out := startWeb(t)

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.Headless, chromedp.WindowSize(1200, 800))...)
	defer cancelAlloc()
	browser, cancelBrowser := chromedp.NewContext(alloc)
	defer cancelBrowser()
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	var consoleMu sync.Mutex
	var console []string
	messages := chromedp.Console(browser)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.IsException() {
				consoleMu.Lock()
				console = append(console, m.String())
				consoleMu.Unlock()
			}
		}
	}()
	ctx, cancel := context.WithTimeout(browser, 4*time.Minute)
	defer cancel()

	runInBrowser(t, ctx, url, 5)
	workers, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries(
		Array.from(document.querySelectorAll('.actor.consumer[data-queue="tour-tasks"]'))
			.map(g => [g.querySelector('title').textContent, g.dataset.count]))`))
	if err != nil {
		t.Fatal(err)
	}
	// Each worker gets one task first, then whichever is free the next
	// (see promises): some tasks each, nine in all.
	total := 0
	for _, w := range []string{"worker-1", "worker-2", "worker-3"} {
		n, err := strconv.Atoi(workers[w])
		if err != nil || n < 1 {
			total = -1
			break
		}
		total += n
	}
	if len(workers) != 3 || total != 9 {
		t.Errorf("round robin on the page: %v; want three workers sharing nine tasks, each with some", workers)
	}
	detail := clickAndReadDetail(t, ctx, `#log li[data-kind="deliver"]`)
	if !strings.Contains(detail, "Hello World!") || !strings.Contains(detail, "routing-key") {
		t.Errorf("detail panel after clicking the first delivery:\n%s", detail)
	}
	shot, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
	if err != nil {
		t.Fatal(err)
	}
	file := os.Getenv("TOUR_SCREENSHOT")
	if file == "" {
		file = filepath.Join(os.TempDir(), "tour-web-screenshot.png")
	}
	if err := os.WriteFile(file, smallerPNG(t, shot), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", file, len(shot))

	runInBrowser(t, ctx, url, 6)
	copies, err := chromedp.Run(ctx, chromedp.Evaluate[int](
		`document.querySelectorAll('#log li[data-kind="deliver"][data-exchange="test_fanout"]').length`))
	if err != nil {
		t.Fatal(err)
	}
	if copies != 3 {
		t.Errorf("fanout copies delivered on the page: %d; want 3", copies)
	}
	detail = clickAndReadDetail(t, ctx, `#log li[data-kind="deliver"][data-exchange="test_fanout"]`)
	if !strings.Contains(detail, "everyone") {
		t.Errorf("detail panel of a fanout copy:\n%s", detail)
	}

	consoleMu.Lock()
	defer consoleMu.Unlock()
	if len(console) > 0 {
		t.Errorf("the browser console logged errors:\n%s", strings.Join(console, "\n"))
	}
	t.Logf("server log:\n%s", out)
}

// runInBrowser opens lesson n's page fast-forwarded, presses Run and
// waits until the page has played the whole run.
func runInBrowser(t *testing.T, ctx context.Context, url string, n int) {
	t.Helper()
	err := chromedp.Do(ctx,
		chromedp.Navigate(fmt.Sprintf("%slesson/%d?speed=20", url, n)),
		chromedp.WaitVisible(`#run`),
		chromedp.Click(`#run`),
	)
	if err != nil {
		t.Fatalf("lesson %d in the browser: %v", n, err)
	}
	waitCtx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	err = chromedp.Do(waitCtx, chromedp.WaitVisible(fmt.Sprintf(`#status[data-state="done"][data-lesson="%d"]`, n)))
	if err != nil {
		state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('status').outerHTML + "\n" +
			document.getElementById('log').children.length + " messages\n" + document.getElementById('narration').innerText`))
		t.Fatalf("lesson %d in the browser: %v\n%s", n, err, state)
	}
}

// clickAndReadDetail clicks the first element sel finds and returns the
// detail panel's text.
func clickAndReadDetail(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	if err := chromedp.Do(ctx, chromedp.Click(sel)); err != nil {
		t.Fatalf("click %s: %v", sel, err)
	}
	text, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('detail').innerText`))
	if err != nil {
		t.Fatal(err)
	}
	return text
}

// smallerPNG re-encodes a screenshot with the best compression, so the
// one the pages show stays small.
func smallerPNG(t *testing.T, b []byte) []byte {
	t.Helper()
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	var out bytes.Buffer
	enc := png.Encoder{CompressionLevel: png.BestCompression}
	if err := enc.Encode(&out, img); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}
