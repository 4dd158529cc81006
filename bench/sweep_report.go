// The sweep's outputs: two tables in results.md (calls/s, and bytes on
// the wire per call) and a chart, results-sweep.svg.

package main

import (
	"fmt"
	"html"
	"math"
	"strings"
)

// fmtSize prints a payload size: 16 B, 1 KB, 64 KB, 1 MB.
func fmtSize(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// fmtBytes prints a byte count compactly.
func fmtBytes(x float64) string {
	switch {
	case x >= 1<<20:
		return fmt.Sprintf("%.2f MB", x/(1<<20))
	case x >= 10<<10:
		return fmt.Sprintf("%.0f KB", x/(1<<10))
	case x >= 1<<10:
		return fmt.Sprintf("%.1f KB", x/(1<<10))
	}
	return fmt.Sprintf("%.0f B", x)
}

// sweepCellAt finds one cell of a sweep row.
func sweepCellAt(r sweepResult, kind string, size int) *sweepCell {
	for i := range r.Cells {
		if r.Cells[i].Kind == kind && r.Cells[i].Size == size {
			return &r.Cells[i]
		}
	}
	return nil
}

// sweepMarkdown writes the sweep's two tables.
func sweepMarkdown(b *strings.Builder, rep *report) {
	if len(rep.Sweep) == 0 {
		return
	}
	fmt.Fprintf(b, "\n## Payload sweep: echo of a list of numbers or a string, one caller, %s per cell\n\n", rep.Settings.SweepDuration)
	b.WriteString("Size is the payload's raw size: that many bytes of text, or of 8-byte integers (each below 2^31). ")
	b.WriteString("Each cell is one warm-up call, then calls one after another for the cell's time (at least one call).\n\n")
	b.WriteString("### Calls/s\n\n")
	sweepHeader(b)
	for _, r := range rep.Sweep {
		sweepRow(b, r, func(c *sweepCell) string { return fmtRate(c.CallsPerSec) })
	}
	b.WriteString("\n### Bytes on the wire per call, both ways (client's socket), and the ratio to twice the payload\n\n")
	sweepHeader(b)
	for _, r := range rep.Sweep {
		sweepRow(b, r, func(c *sweepCell) string {
			return fmt.Sprintf("%s (%.1f×)", fmtBytes(c.ClientSent+c.ClientRecv), c.WirePerPayload)
		})
	}
}

func sweepHeader(b *strings.Builder) {
	b.WriteString("| system | payload |")
	for _, s := range sweepSizes {
		fmt.Fprintf(b, " %s |", fmtSize(s))
	}
	b.WriteString("\n|---|---|" + strings.Repeat("---:|", len(sweepSizes)) + "\n")
}

func sweepRow(b *strings.Builder, r sweepResult, show func(*sweepCell) string) {
	if len(r.Cells) == 0 {
		why := r.Absent
		if why == "" {
			why = "failed: " + r.Error
		}
		fmt.Fprintf(b, "| %s | %s |%s\n", r.Name, oneLine(why), strings.Repeat(" — |", len(sweepSizes)))
		return
	}
	for _, kind := range payloadKinds {
		fmt.Fprintf(b, "| %s | %s |", r.Name, kind)
		for _, size := range sweepSizes {
			c := sweepCellAt(r, kind, size)
			switch {
			case c == nil:
				b.WriteString(" — |")
			case c.Error != "":
				fmt.Fprintf(b, " failed: %s |", oneLine(firstWords(c.Error, 8)))
			default:
				fmt.Fprintf(b, " %s |", show(c))
			}
		}
		b.WriteString("\n")
	}
}

// sweepChart draws calls/s against payload size (log-log), one line
// per system, for numbers (left) and strings (right).
func sweepChart(rep *report) string {
	const (
		panelW, panelH = 330, 260
		left, top      = 60, 70
		gap            = 70
	)
	colors := []string{"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"}
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, r := range rep.Sweep {
		for _, c := range r.Cells {
			if c.CallsPerSec > 0 && c.Error == "" {
				lo, hi = math.Min(lo, c.CallsPerSec), math.Max(hi, c.CallsPerSec)
			}
		}
	}
	if math.IsInf(lo, 1) {
		lo, hi = 1, 10
	}
	dlo, dhi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if dhi <= dlo {
		dhi = dlo + 1
	}
	y := func(v float64) float64 { return top + panelH - (math.Log10(v)-dlo)/(dhi-dlo)*panelH }
	x := func(i int) float64 { return float64(i) / float64(len(sweepSizes)-1) * panelW }
	width := left + 2*panelW + gap + 170
	height := top + panelH + 50
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="sans-serif" font-size="11">`+"\n",
		width, height, width, height)
	b.WriteString(`<rect width="100%" height="100%" fill="white"/>` + "\n")
	b.WriteString(`<text x="10" y="18" font-size="14" font-weight="bold">echo(payload): calls/s by payload size, one caller, log-log</text>` + "\n")
	fmt.Fprintf(&b, `<text x="10" y="34">%s · Go %s · %s</text>`+"\n",
		html.EscapeString(rep.Date), html.EscapeString(rep.Go), html.EscapeString(rep.CPU))
	for p, kind := range payloadKinds {
		px := float64(left + p*(panelW+gap))
		fmt.Fprintf(&b, `<text x="%.0f" y="%d" font-weight="bold">%s</text>`+"\n", px, top-14, kind)
		for d := dlo; d <= dhi; d++ {
			gy := y(math.Pow(10, d))
			fmt.Fprintf(&b, `<line x1="%.0f" y1="%.1f" x2="%.0f" y2="%.1f" stroke="#ddd"/>`+"\n", px, gy, px+panelW, gy)
			fmt.Fprintf(&b, `<text x="%.0f" y="%.1f" text-anchor="end" fill="#555">%s</text>`+"\n", px-4, gy+4, fmtDecade(d))
		}
		for i, s := range sweepSizes {
			fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle" fill="#555">%s</text>`+"\n", px+x(i), top+panelH+16, fmtSize(s))
		}
		for k, r := range rep.Sweep {
			var pts []string
			for i, s := range sweepSizes {
				if c := sweepCellAt(r, kind, s); c != nil && c.Error == "" && c.CallsPerSec > 0 {
					pts = append(pts, fmt.Sprintf("%.1f,%.1f", px+x(i), y(c.CallsPerSec)))
				}
			}
			if len(pts) > 0 {
				fmt.Fprintf(&b, `<polyline points="%s" fill="none" stroke="%s" stroke-width="2"><title>%s</title></polyline>`+"\n",
					strings.Join(pts, " "), colors[k%len(colors)], html.EscapeString(r.Name))
			}
		}
	}
	lx := left + 2*panelW + gap + 20
	for k, r := range rep.Sweep {
		ly := top + k*16
		fmt.Fprintf(&b, `<rect x="%d" y="%d" width="12" height="3" fill="%s"/><text x="%d" y="%d">%s</text>`+"\n",
			lx, ly, colors[k%len(colors)], lx+16, ly+5, html.EscapeString(r.Name))
	}
	b.WriteString("</svg>\n")
	return b.String()
}
