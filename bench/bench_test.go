package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"math"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// The whole tool, in -short mode, against the test broker: every
// system must be in the Markdown, the JSON and the SVG, with numbers or
// with the reason it is absent; the lessons' own rows must have every
// cell and no failed call.
func TestShortRunReportsEverySystemInEveryFormat(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole benchmark (about a minute)")
	}
	b := broker.Get(t)
	amqpURL := b.NewVhost(t)

	dir := t.TempDir()
	bin := filepath.Join(dir, "bench")
	build := exec.Command("go", "build", "-o", bin, ".")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	outDir := filepath.Join(dir, "results")
	ctx, cancel := context.WithTimeout(t.Context(), 7*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "-short", "-out", outDir)
	// The management API too: its port is not AMQP's port + 10000, and a
	// guess (15672 on the same host) may reach another broker.
	cmd.Env = append(os.Environ(), "AMQP_URL="+amqpURL, "RABBITMQ_MANAGEMENT_URL="+b.ManagementURL())
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("bench -short: %v\nstderr:\n%s", err, stderr.String())
	}
	if !strings.Contains(stderr.String(), "caller(s)") {
		t.Errorf("no progress lines on stderr:\n%s", stderr.String())
	}

	md := read(t, filepath.Join(outDir, "results.md"))
	svg := read(t, filepath.Join(outDir, "results.svg"))
	var rep report
	if err := json.Unmarshal([]byte(read(t, filepath.Join(outDir, "results.json"))), &rep); err != nil {
		t.Fatalf("results.json: %v", err)
	}
	if !strings.Contains(stdout.String(), "## What we expect") {
		t.Errorf("the table was not printed to the terminal")
	}
	for _, want := range []string{"Go: go1", "RabbitMQ: 3", "CPU: ", "placement: ", "closed loop", "p99.9"} {
		if !strings.Contains(md, want) {
			t.Errorf("results.md lacks %q", want)
		}
	}
	if rep.Go == "" || rep.RabbitMQ == "" || rep.CPU == "" || rep.Placement.Summary == "" {
		t.Errorf("JSON stamp incomplete: go=%q rabbitmq=%q cpu=%q placement=%q",
			rep.Go, rep.RabbitMQ, rep.CPU, rep.Placement.Summary)
	}
	if !strings.HasPrefix(svg, "<svg") || !strings.Contains(svg, "log scale") {
		t.Errorf("results.svg is not the chart: %.200s", svg)
	}

	got := map[string]sysResult{}
	for _, r := range rep.Results {
		got[r.Name] = r
	}
	for _, s := range allSystems() {
		r, ok := got[s.Name]
		if !ok {
			t.Errorf("%s: missing from results.json", s.Name)
			continue
		}
		if !strings.Contains(md, "| "+s.Name+" |") {
			t.Errorf("%s: missing from results.md", s.Name)
		}
		if !strings.Contains(svg, ">"+s.Name+"<") {
			t.Errorf("%s: missing from results.svg", s.Name)
		}
		if r.Absent != "" {
			if s.Lesson != "python" {
				t.Errorf("%s: a lesson or baseline row is absent: %s", s.Name, r.Absent)
			}
			continue
		}
		if len(r.Cells) != 3 {
			t.Errorf("%s: %d cells, want 3 (error: %s)", s.Name, len(r.Cells), r.Error)
			continue
		}
		if s.Lesson == "python" {
			continue // the article's servers may drop connections at 64 callers
		}
		slow := false
		for _, c := range r.Cells {
			if c.Errors > 0 || (c.Calls > 0 && c.Median <= 0) {
				t.Errorf("%s, %d callers: %d calls, %d errors (%s)", s.Name, c.Callers, c.Calls, c.Errors, c.FirstErr)
			}
			// No call failed, but none was answered inside the short
			// window: a busy machine, not a broken system.
			if c.Calls == 0 && c.Errors == 0 {
				t.Logf("%s, %d callers: no call answered inside the -short window (a busy machine)", s.Name, c.Callers)
				slow = true
			}
		}
		if r.Wire == nil || r.Wire.ClientSent <= 0 {
			t.Errorf("%s: no bytes counted (%s)", s.Name, r.WireNote)
		}
		if c := r.Cells[0]; c.AllocsPer <= 0 && !slow {
			t.Errorf("%s: allocations per call not measured", s.Name)
		}
	}
	if len(rep.Expected) != len(expectations) {
		t.Errorf("%d expectations checked, want %d", len(rep.Expected), len(expectations))
	}
	for _, tg := range rep.Expected {
		if tg.Status != "met" && tg.Status != "missed" && tg.Status != "n/a" {
			t.Errorf("expectation %s vs %s: status %q", tg.System, tg.Versus, tg.Status)
		}
	}
	// The raw TCP floor must say what it sends: 16 bytes each way.
	if w := got["tcp-raw"].Wire; w == nil || w.ClientSent != 16 || w.ClientRecv != 16 {
		t.Errorf("tcp-raw wire = %+v, want 16 B each way", w)
	}
	// The fair floor for oslo-call carries the same wire: the bytes a
	// call puts on the client's socket agree within a few bytes.
	near := func(a, b float64) bool { return a >= b-8 && a <= b+8 }
	if f, o := got["amqp-oslo-raw"].Wire, got["oslo-call"].Wire; f == nil || o == nil ||
		!near(f.ClientSent, o.ClientSent) || !near(f.ClientRecv, o.ClientRecv) {
		t.Errorf("amqp-oslo-raw wire %+v does not carry oslo-call's %+v", f, o)
	}
	checkSweep(t, &rep, md, filepath.Join(outDir, "results-sweep.svg"))
}

// checkSweep checks that every sweep system echoed every payload, with
// its bytes counted, in the JSON, the Markdown and the chart.
func checkSweep(t *testing.T, rep *report, md, svgPath string) {
	t.Helper()
	svg := read(t, svgPath)
	got := map[string]sweepResult{}
	for _, r := range rep.Sweep {
		got[r.Name] = r
	}
	for _, s := range allSweepSystems() {
		r, ok := got[s.Name]
		if !ok {
			t.Errorf("sweep %s: missing from results.json", s.Name)
			continue
		}
		if !strings.Contains(svg, ">"+s.Name+"<") {
			t.Errorf("sweep %s: missing from results-sweep.svg", s.Name)
		}
		if len(r.Cells) != len(payloadKinds)*len(sweepSizes) {
			t.Errorf("sweep %s: %d cells, want %d (%s%s)", s.Name, len(r.Cells), len(payloadKinds)*len(sweepSizes), r.Absent, r.Error)
			continue
		}
		for _, c := range r.Cells {
			if c.Error != "" || c.Calls == 0 || c.ClientSent <= 0 || c.ClientRecv <= 0 ||
				(c.Kind == "string" && c.ClientSent < float64(c.Size)) {
				t.Errorf("sweep %s, %s %d B: %d calls, %.0f B sent, %.0f B received (%s)",
					s.Name, c.Kind, c.Size, c.Calls, c.ClientSent, c.ClientRecv, c.Error)
			}
		}
	}
	if !strings.Contains(md, "## Payload sweep") {
		t.Errorf("results.md lacks the sweep's tables")
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPercentileTakesTheNearestRank(t *testing.T) {
	xs := make([]float64, 1000)
	for i := range xs {
		xs[i] = float64(i + 1) // 1..1000
	}
	for _, tc := range []struct{ p, want float64 }{
		{50, 500}, {99, 990}, {99.9, 999}, {100, 1000}, {0, 1},
	} {
		if got := percentile(xs, tc.p); got != tc.want {
			t.Errorf("p%g of 1..1000 = %g, want %g", tc.p, got, tc.want)
		}
	}
	if got := percentile([]float64{7}, 99.9); got != 7 {
		t.Errorf("p99.9 of one sample = %g", got)
	}
	if got := percentile(nil, 50); !math.IsNaN(got) {
		t.Errorf("p50 of nothing = %g, want NaN", got)
	}
}

func TestSummarizeHidesMeaninglessP999(t *testing.T) {
	var r cellResult
	r.PerRep = []float64{30, 10, 20}
	lat := make([]float64, minSamplesP999-1)
	for i := range lat {
		lat[i] = float64(len(lat) - i)
	}
	r.summarize(lat)
	if r.Min != 10 || r.Median != 20 || r.Max != 30 {
		t.Errorf("min/median/max = %g/%g/%g, want 10/20/30", r.Min, r.Median, r.Max)
	}
	if r.P999 != -1 {
		t.Errorf("p99.9 of %d samples = %g, want -1 (not meaningful)", len(lat), r.P999)
	}
	if r.P50 != 500 || r.P99 != 990 {
		t.Errorf("p50/p99 = %g/%g, want 500/990", r.P50, r.P99)
	}
	r.summarize(append(lat, 1000))
	if r.P999 != 999 {
		t.Errorf("p99.9 of 1000 samples = %g, want 999", r.P999)
	}
	if got := fmtUS(-1); got != "—" {
		t.Errorf("fmtUS(-1) = %q", got)
	}
}

// The proxy counts exactly the bytes each side writes, in each
// direction, and [Reset] starts over.
func TestCountingProxyCountsBothDirections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	// The server reads 10 bytes and answers 25, then closes (like an
	// HTTP/1.0 server).
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			buf := make([]byte, 10)
			io.ReadFull(c, buf)
			c.Write(bytes.Repeat([]byte("x"), 25))
			c.Close()
		}
	}()
	p, err := newCountingProxy(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()

	exchange := func() {
		c, err := net.Dial("tcp", p.Addr())
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		c.Write([]byte("0123456789"))
		got, err := io.ReadAll(c)
		if err != nil || len(got) != 25 {
			t.Fatalf("read %d bytes (%v), want 25", len(got), err)
		}
	}
	exchange()
	exchange()
	waitCounts(t, p, 20, 50)
	p.Reset()
	exchange()
	waitCounts(t, p, 10, 25)
}

// waitCounts waits for the proxy's goroutines to count what the client
// has already seen go through. Counting more is a failure at once; the
// one-minute limit only stops a test that would otherwise hang, it does
// not judge speed.
func waitCounts(t *testing.T, p *countingProxy, up, down int64) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for {
		u, d := p.Counts()
		if u == up && d == down {
			return
		}
		if u > up || d > down || time.Now().After(deadline) {
			t.Fatalf("counted %d up, %d down; want %d, %d", u, d, up, down)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// The bytes pass of a real system: raw TCP sends 16 bytes each way.
func TestCountCallsSeesSixteenBytesEachWayOnRawTCP(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go serveRawTCP(ln)
	p, err := newCountingProxy(ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	c, err := dialRawTCP(t.Context(), nil, p.Addr())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	up, down, err := countCalls(t.Context(), c, p, 10)
	if err != nil {
		t.Fatal(err)
	}
	if up != 16 || down != 16 {
		t.Errorf("bytes per call = %g up, %g down; want 16, 16", up, down)
	}
}

func TestViaProxyKeepsVhostAndCredentials(t *testing.T) {
	got := viaProxy("amqp://u:p@127.0.0.1:5672/bench-x", "127.0.0.1:4000")
	if got != "amqp://u:p@127.0.0.1:4000/bench-x" {
		t.Errorf("viaProxy = %q", got)
	}
}
