// The outputs: a Markdown table (printed and written), an SVG chart and
// the raw JSON, each stamped with the versions and the placement.

package main

import (
	"encoding/json"
	"fmt"
	"html"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"
)

func writeReport(rep *report, dir string, stdout io.Writer) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	md := markdown(rep)
	fmt.Fprint(stdout, md)
	if err := os.WriteFile(filepath.Join(dir, "results.md"), []byte(md), 0o644); err != nil {
		return err
	}
	js, err := json.MarshalIndent(rep, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.json"), append(js, '\n'), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "results.svg"), []byte(svgChart(rep)), 0o644); err != nil {
		return err
	}
	if len(rep.Sweep) > 0 {
		if err := os.WriteFile(filepath.Join(dir, "results-sweep.svg"), []byte(sweepChart(rep)), 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "\nwritten: %s, %s, %s\n", filepath.Join(dir, "results.md"),
		filepath.Join(dir, "results.json"), filepath.Join(dir, "results.svg"))
	return nil
}

// fmtRate prints calls per second compactly.
func fmtRate(x float64) string {
	switch {
	case x >= 1e6:
		return fmt.Sprintf("%.2fM", x/1e6)
	case x >= 1e4:
		return fmt.Sprintf("%.1fk", x/1e3)
	case x >= 1e3:
		return fmt.Sprintf("%.2fk", x/1e3)
	default:
		return fmt.Sprintf("%.0f", x)
	}
}

// fmtUS prints a latency in µs, or "—" when not meaningful.
func fmtUS(x float64) string {
	switch {
	case x < 0 || math.IsNaN(x):
		return "—"
	case x >= 1e4:
		return fmt.Sprintf("%.0f ms", x/1e3)
	case x >= 1e3:
		return fmt.Sprintf("%.1f ms", x/1e3)
	default:
		return fmt.Sprintf("%.0f µs", x)
	}
}

func stamp(rep *report) string {
	var b strings.Builder
	rmq := rep.RabbitMQ
	if rmq == "" {
		rmq = "not used"
	}
	fmt.Fprintf(&b, "- date: %s\n", rep.Date)
	fmt.Fprintf(&b, "- Go: %s; RabbitMQ: %s; CPU: %s\n", rep.Go, rmq, rep.CPU)
	fmt.Fprintf(&b, "- placement: %s\n", rep.Placement.Summary)
	fmt.Fprintf(&b, "- load average (1/5/15 min) before: %s, after: %s (anything above 0 is other work on the machine)\n",
		rep.LoadBefore, rep.LoadAfter)
	if rep.Stolen >= 0 {
		fmt.Fprintf(&b, "- CPU time stolen by the hypervisor during the run: %.1f%% (other guests' work on a shared virtual machine; "+
			"above a few percent, numbers drop and spread)\n", rep.Stolen)
	}
	s := rep.Settings
	mode := ""
	if s.Short {
		mode = " (-short: proves the tool works; these numbers mean little)"
	}
	fmt.Fprintf(&b, "- closed loop: each caller waits for its answer before the next call; "+
		"per cell %s warm-up, then %d × %s measured%s\n", s.Warmup, s.Reps, s.Duration, mode)
	if len(rep.Sweep) > 0 {
		fmt.Fprintf(&b, "- payload sweep: one caller, one warm-up call, then %s per cell (at least one call)\n", s.SweepDuration)
	}
	if rep.Duration > 0 {
		fmt.Fprintf(&b, "- the whole run took %s\n", rep.Duration.Round(time.Second))
	}
	return b.String()
}

func cellAt(r sysResult, callers int) *cellResult {
	for i := range r.Cells {
		if r.Cells[i].Callers == callers {
			return &r.Cells[i]
		}
	}
	return nil
}

// why is what a row without numbers says instead.
func why(r sysResult) string {
	switch {
	case r.Absent != "":
		return r.Absent
	case r.Error != "":
		return "error: " + r.Error
	}
	return ""
}

func oneLine(s string) string {
	s = strings.ReplaceAll(s, "\n", " ")
	s = strings.ReplaceAll(s, "|", "\\|")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

func markdown(rep *report) string {
	var b strings.Builder
	b.WriteString("# add(2, 3) through every approach of the course\n\n")
	b.WriteString(stamp(rep))
	throughputTable(&b, rep)
	latencyTable(&b, rep)
	cpuTable(&b, rep)
	wireTable(&b, rep)
	sweepMarkdown(&b, rep)
	expectedTable(&b, rep)
	errorsSection(&b, rep)
	return b.String()
}

// throughputTable writes the median calls/s of every row at each number of callers.
func throughputTable(b *strings.Builder, rep *report) {
	callers := rep.Settings.Callers
	fmt.Fprintf(b, "\n## Throughput, calls/s: median of %d repetition(s) [min–max]\n\n", rep.Settings.Reps)
	b.WriteString("Casts and notifications count messages the server consumed per second " +
		"(the clock stops when the queue is drained).\n\n")
	callerHeader(b, callers, "system", "lesson", "what")
	for _, r := range rep.Results {
		fmt.Fprintf(b, "| %s | %s | %s |", r.Name, r.Lesson, r.Desc)
		if w := why(r); w != "" && len(r.Cells) == 0 {
			fmt.Fprintf(b, " %s |", oneLine(w))
			for range callers[1:] {
				b.WriteString(" — |")
			}
			b.WriteString("\n")
			continue
		}
		for _, n := range callers {
			c := cellAt(r, n)
			if c == nil {
				b.WriteString(" — |")
				continue
			}
			if c.Calls == 0 {
				b.WriteString(" all failed |")
				continue
			}
			if rep.Settings.Reps > 1 {
				fmt.Fprintf(b, " %s [%s–%s] |", fmtRate(c.Median), fmtRate(c.Min), fmtRate(c.Max))
			} else {
				fmt.Fprintf(b, " %s |", fmtRate(c.Median))
			}
		}
		b.WriteString("\n")
	}
}

// latencyTable writes p50 / p99 / p99.9 of every row that was measured.
func latencyTable(b *strings.Builder, rep *report) {
	callers := rep.Settings.Callers
	b.WriteString("\n## Latency: p50 / p99 / p99.9 over every measured call of the cell\n\n")
	fmt.Fprintf(b, "p99.9 is shown only when the cell has at least %d calls (— otherwise). "+
		"For casts and notifications it is the time to hand the message to the broker.\n\n", minSamplesP999)
	callerHeader(b, callers, "system")
	for _, r := range rep.Results {
		if len(r.Cells) == 0 {
			continue
		}
		fmt.Fprintf(b, "| %s |", r.Name)
		for _, n := range callers {
			c := cellAt(r, n)
			if c == nil {
				b.WriteString(" — |")
				continue
			}
			fmt.Fprintf(b, " %s / %s / %s |", fmtUS(c.P50), fmtUS(c.P99), fmtUS(c.P999))
		}
		b.WriteString("\n")
	}
}

// cpuTable writes how busy client and server were, for the rows with a Go client.
func cpuTable(b *strings.Builder, rep *report) {
	callers := rep.Settings.Callers
	b.WriteString("\n## CPU used during the measured windows: client / server, in % of one CPU\n\n")
	b.WriteString("Client: the bench process (Go clients only). Server: the server's process " +
		"(RabbitMQ, for broker rows, is not counted). A side near 100% is the bottleneck.\n\n")
	callerHeader(b, callers, "system")
	for _, r := range rep.Results {
		if len(r.Cells) == 0 || r.Client != "go" {
			continue
		}
		fmt.Fprintf(b, "| %s |", r.Name)
		for _, n := range callers {
			c := cellAt(r, n)
			if c == nil {
				b.WriteString(" — |")
				continue
			}
			fmt.Fprintf(b, " %s / %s |", fmtShare(c.ClientCPU), fmtShare(c.ServerCPU))
		}
		b.WriteString("\n")
	}
}

// wireTable writes the bytes each call puts on the wire, and the client's allocations.
func wireTable(b *strings.Builder, rep *report) {
	b.WriteString("\n## Bytes on the wire per call, and client allocations\n\n")
	b.WriteString("Counted on the socket by a proxy in a separate pass (TCP payload, HTTP headers " +
		"and protocol framing included), sequential calls after a warm-up. For broker systems " +
		"the client's socket goes to RabbitMQ, and the server's socket to RabbitMQ is counted too. " +
		"Allocations: `runtime.MemStats.Mallocs` of the bench process (the client) per call, 1 caller; " +
		"n/a for Python clients.\n\n")
	b.WriteString("| system | client sent B/call | client received B/call | server→broker B/call | broker→server B/call | new connections | client allocs/call |\n")
	b.WriteString("|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rep.Results {
		if len(r.Cells) == 0 {
			continue
		}
		fmt.Fprintf(b, "| %s |", r.Name)
		if r.Wire != nil {
			fmt.Fprintf(b, " %.0f | %.0f |", r.Wire.ClientSent, r.Wire.ClientRecv)
			if r.Broker {
				fmt.Fprintf(b, " %.0f | %.0f |", r.Wire.ServerSent, r.Wire.ServerRecv)
			} else {
				b.WriteString(" — | — |")
			}
			fmt.Fprintf(b, " %d in %d calls |", r.Wire.Conns, r.Wire.Calls)
		} else {
			fmt.Fprintf(b, " %s | — | — | — | — |", oneLine("not measured: "+r.WireNote))
		}
		if c := cellAt(r, 1); c != nil && c.AllocsPer >= 0 && r.Client == "go" {
			fmt.Fprintf(b, " %.1f |\n", c.AllocsPer)
		} else {
			b.WriteString(" n/a |\n")
		}
	}
}

// expectedTable writes what the course expects of each row, met or missed.
func expectedTable(b *strings.Builder, rep *report) {
	b.WriteString("\n## What we expect (ratios of median throughput in this run)\n\n")
	b.WriteString("| system | versus | callers | ratio | expected | status | numbers |\n")
	b.WriteString("|---|---|---:|---:|---:|---|---|\n")
	for _, t := range rep.Expected {
		ratio := "—"
		if t.Ratio >= 0 {
			ratio = fmt.Sprintf("%.2f×", t.Ratio)
		}
		fmt.Fprintf(b, "| %s | %s | %d | %s | ≥ %g× | %s | %s |\n",
			t.System, t.Versus, t.Callers, ratio, t.Want, t.Status, oneLine(t.Detail))
	}
}

// errorsSection lists what went wrong during the run, if anything did.
func errorsSection(b *strings.Builder, rep *report) {
	var errs []string
	for _, r := range rep.Results {
		if r.Error != "" && len(r.Cells) > 0 {
			errs = append(errs, fmt.Sprintf("- %s: %s", r.Name, oneLine(r.Error)))
		}
		for _, c := range r.Cells {
			if c.Errors > 0 && c.Calls == 0 {
				errs = append(errs, fmt.Sprintf("- %s, %d callers: every call failed (%d errors; first: %s)",
					r.Name, c.Callers, c.Errors, oneLine(c.FirstErr)))
			}
			if c.Abandoned > 0 {
				errs = append(errs, fmt.Sprintf("- %s, %d callers: %d calls still unanswered %s after the window were abandoned (not counted)",
					r.Name, c.Callers, c.Abandoned, grace))
			}
			if c.Errors > 0 && c.Calls > 0 {
				errs = append(errs, fmt.Sprintf("- %s, %d callers: %d failed calls (first: %s)",
					r.Name, c.Callers, c.Errors, oneLine(c.FirstErr)))
			}
		}
	}
	if len(errs) > 0 {
		b.WriteString("\n## Errors during the run\n\n" + strings.Join(errs, "\n") + "\n")
	}
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// svgChart draws horizontal bars of median throughput, one group per
// system and one bar per caller count, on a log scale.
func svgChart(rep *report) string {
	const (
		labelW = 210
		plotW  = 620
		left   = labelW + 10
		barH   = 7
		groupH = 3*barH + 8
		top    = 86
	)
	colors := []string{"#4e79a7", "#f28e2b", "#59a14f"}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Results {
		for _, c := range r.Cells {
			if c.Median > 0 {
				lo = math.Min(lo, c.Median)
				hi = math.Max(hi, c.Median)
			}
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 1, 10
	}
	dlo := math.Floor(math.Log10(lo))
	dhi := math.Ceil(math.Log10(hi))
	if dhi <= dlo {
		dhi = dlo + 1
	}
	x := func(v float64) float64 {
		if v <= 0 {
			return 0
		}
		return (math.Log10(v) - dlo) / (dhi - dlo) * plotW
	}
	height := top + len(rep.Results)*groupH + 40
	width := left + plotW + 30
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	fmt.Fprintf(&b, `<rect width="100%%" height="100%%" fill="white"/>`+"\n")
	fmt.Fprintf(&b, `<text x="10" y="18" font-size="14" font-weight="bold">add(2, 3): calls/s (median), log scale, closed loop</text>`+"\n")
	rmq := rep.RabbitMQ
	if rmq == "" {
		rmq = "not used"
	}
	fmt.Fprintf(&b, `<text x="10" y="34">%s · Go %s · RabbitMQ %s · %s</text>`+"\n",
		html.EscapeString(rep.Date), html.EscapeString(rep.Go), html.EscapeString(rmq), html.EscapeString(rep.CPU))
	fmt.Fprintf(&b, `<text x="10" y="48">%s</text>`+"\n", html.EscapeString(rep.Placement.Summary))
	for i, n := range rep.Settings.Callers {
		if i >= len(colors) {
			break
		}
		lx := left + i*110
		fmt.Fprintf(&b, `<rect x="%d" y="58" width="12" height="10" fill="%s"/><text x="%d" y="67">%d caller%s</text>`+"\n",
			lx, colors[i], lx+16, n, plural(n))
	}
	// Decade grid lines and labels.
	for d := dlo; d <= dhi; d++ {
		gx := float64(left) + x(math.Pow(10, d))
		fmt.Fprintf(&b, `<line x1="%.1f" y1="%d" x2="%.1f" y2="%d" stroke="#ddd"/>`+"\n", gx, top-6, gx, height-30)
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n",
			gx, height-16, fmtDecade(d))
	}
	for i, r := range rep.Results {
		y := top + i*groupH
		fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%s</text>`+"\n",
			labelW, y+groupH/2+2, html.EscapeString(r.Name))
		if len(r.Cells) == 0 {
			fmt.Fprintf(&b, `<text x="%d" y="%d" fill="#999">%s</text>`+"\n",
				left+4, y+groupH/2+2, html.EscapeString(oneLine(firstWords(why(r), 12))))
			continue
		}
		for j, n := range rep.Settings.Callers {
			c := cellAt(r, n)
			if c == nil || j >= len(colors) {
				continue
			}
			w := x(c.Median)
			by := y + j*barH
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="%.1f" height="%d" fill="%s"><title>%s, %d caller%s: %s calls/s</title></rect>`+"\n",
				left, by, w, barH-1, colors[j], html.EscapeString(r.Name), n, plural(n), fmtRate(c.Median))
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" font-size="8" fill="#333">%s</text>`+"\n",
				float64(left)+w+3, by+barH-1, fmtRate(c.Median))
		}
	}
	b.WriteString("</svg>\n")
	return b.String()
}

// fmtShare prints a share of one CPU as a percentage.
func fmtShare(x float64) string {
	if x < 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f%%", 100*x)
}

// fmtDecade labels 10^d: 10, 100, 1k, 10k, 100k, 1M.
func fmtDecade(d float64) string {
	switch {
	case d >= 6:
		return fmt.Sprintf("%.0fM", math.Pow(10, d-6))
	case d >= 3:
		return fmt.Sprintf("%.0fk", math.Pow(10, d-3))
	}
	return fmt.Sprintf("%.0f", math.Pow(10, d))
}

func firstWords(s string, n int) string {
	f := strings.Fields(s)
	if len(f) > n {
		f = append(f[:n], "…")
	}
	return strings.Join(f, " ")
}

// callerHeader writes the header of a table with the given text columns
// and then one right-aligned column per number of callers.
func callerHeader(b *strings.Builder, callers []int, columns ...string) {
	b.WriteString("| " + strings.Join(columns, " | ") + " |")
	for _, n := range callers {
		fmt.Fprintf(b, " %d caller%s |", n, plural(n))
	}
	b.WriteString("\n|" + strings.Repeat("---|", len(columns)))
	for range callers {
		b.WriteString("---:|")
	}
	b.WriteString("\n")
}
