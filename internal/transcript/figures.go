// A page that quotes the benchmark should quote what it measured. A figure
// is a number followed by a comment that says where it comes from:
//
//	a raw TCP round trip takes 155 µs<!--bench tcp-raw p50_us@1-->
//	REST sends 169<!--bench rest wire.client_sent_per_call--> bytes
//	5.1×<!--bench xmlrpc-concurrent/py-xmlrpc-threading calls_per_sec_median@8-->
//
// The comment names a row of bench/results/results.json (or two, A/B, for
// the ratio of A to B) and a field: a cell's field at a number of callers
// (FIELD@CALLERS) or a dotted path in the row. The number written before the
// comment must be the measured value rounded to the digits shown (a "k"
// after it means thousands). A row of the payload sweep is named
// sweep:NAME, and its cells by payload kind and size:
//
//	59<!--bench sweep:grpc calls_per_sec@numbers:1048576--> calls/s
//
// A share (a field named ..._share) written with % is read as a
// percentage: 86%<!--bench xmlrpc-single client_cpu_share@8-->. The comment does not show on the rendered
// page; the number does, and a new benchmark run that changes it fails the
// page's test until the page says the new number.

package transcript

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"regexp"
	"strconv"
	"strings"
)

var (
	figureRef = regexp.MustCompile(`<!--\s*bench\s+([^\s]+)\s+([^\s]+)\s*-->`)
	// The number just before a reference: digits, an optional fraction,
	// an optional k, then at most a unit and spaces.
	figureNum = regexp.MustCompile(`([0-9][0-9,]*(?:\.[0-9]+)?)\s*(k?)\s*(?:µs|ms|s|×|x|%|B|bytes|calls/s)?\**\s*$`)
)

// Results is bench/results/results.json, as far as figures read it.
type Results struct {
	Rows  []map[string]any `json:"results"`
	Sweep []map[string]any `json:"sweep"`
}

// LoadResults reads a results file written by the benchmark.
func LoadResults(path string) (*Results, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("benchmark results: %w", err)
	}
	var r Results
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("benchmark results %s: %w", path, err)
	}
	return &r, nil
}

// CheckFigures verifies every figure of the page at path against res.
func CheckFigures(path string, res *Results) []error {
	data, err := os.ReadFile(path)
	if err != nil {
		return []error{err}
	}
	var errs []error
	for i, line := range strings.Split(string(data), "\n") {
		for _, m := range figureRef.FindAllStringSubmatchIndex(line, -1) {
			rows, field := line[m[2]:m[3]], line[m[4]:m[5]]
			if err := checkFigure(line[:m[0]], rows, field, res); err != nil {
				errs = append(errs, fmt.Errorf("%s:%d: %w", path, i+1, err))
			}
		}
	}
	return errs
}

func checkFigure(before, rows, field string, res *Results) error {
	want, err := res.value(rows, field)
	if err != nil {
		return err
	}
	m := figureNum.FindStringSubmatch(before)
	if m == nil {
		return fmt.Errorf("no number before the reference to %s %s (measured %.4g)", rows, field, want)
	}
	want = asPercent(m[0], field, want)
	written, unit, err := parseFigure(m[1], m[2])
	if err != nil {
		return err
	}
	if math.Abs(written-want) > unit/2+1e-9*math.Abs(want) {
		return fmt.Errorf("%s%s says %s %s, the benchmark measured %.4g", m[1], m[2], rows, field, want)
	}
	return nil
}

// parseFigure reads "6.28" with "k" as 6280 and says the unit of its last
// digit (10 here), which is how far rounding may have moved it.
func parseFigure(num, k string) (value, unit float64, err error) {
	num = strings.ReplaceAll(num, ",", "")
	value, err = strconv.ParseFloat(num, 64)
	if err != nil {
		return 0, 0, fmt.Errorf("figure %q: %w", num, err)
	}
	unit = 1
	if _, frac, ok := strings.Cut(num, "."); ok {
		unit = math.Pow10(-len(frac))
	}
	if k == "k" {
		value, unit = value*1000, unit*1000
	}
	return value, unit, nil
}

// value is a field of a row, or the ratio of two rows' fields for "A/B".
func (r *Results) value(rows, field string) (float64, error) {
	a, b, ratio := strings.Cut(rows, "/")
	va, err := r.field(a, field)
	if err != nil || !ratio {
		return va, err
	}
	vb, err := r.field(b, field)
	if err != nil {
		return 0, err
	}
	if vb == 0 {
		return 0, fmt.Errorf("%s %s is 0: no ratio", b, field)
	}
	return va / vb, nil
}

func (r *Results) field(name, field string) (float64, error) {
	rows := r.Rows
	if sweepName, ok := strings.CutPrefix(name, "sweep:"); ok {
		rows, name = r.Sweep, sweepName
	}
	var row map[string]any
	for _, x := range rows {
		if x["name"] == name {
			row = x
			break
		}
	}
	if row == nil {
		return 0, fmt.Errorf("no benchmark row %q", name)
	}
	if key, at, ok := strings.Cut(field, "@"); ok {
		return cellField(row, name, key, at)
	}
	var cur any = row
	for _, part := range strings.Split(field, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return 0, fmt.Errorf("row %s has no field %s", name, field)
		}
		cur = obj[part]
	}
	v, ok := cur.(float64)
	if !ok {
		return 0, fmt.Errorf("row %s: %s is not a number", name, field)
	}
	return v, nil
}

func cellField(row map[string]any, name, key, callers string) (float64, error) {
	if kind, size, ok := strings.Cut(callers, ":"); ok {
		return sweepField(row, name, key, kind, size)
	}
	n, err := strconv.Atoi(callers)
	if err != nil {
		return 0, fmt.Errorf("row %s: callers %q: %w", name, callers, err)
	}
	cells, _ := row["cells"].([]any)
	for _, c := range cells {
		cell, _ := c.(map[string]any)
		if cell["callers"] == float64(n) {
			v, ok := cell[key].(float64)
			if !ok {
				return 0, fmt.Errorf("row %s at %d callers has no number %s", name, n, key)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("row %s has no cell for %d callers", name, n)
}

// sweepField is a field of the sweep cell of kind and size.
func sweepField(row map[string]any, name, key, kind, size string) (float64, error) {
	n, err := strconv.Atoi(size)
	if err != nil {
		return 0, fmt.Errorf("sweep row %s: size %q: %w", name, size, err)
	}
	cells, _ := row["cells"].([]any)
	for _, c := range cells {
		cell, _ := c.(map[string]any)
		if cell["kind"] == kind && cell["size"] == float64(n) {
			v, ok := cell[key].(float64)
			if !ok {
				return 0, fmt.Errorf("sweep row %s, %s of %d B, has no number %s", name, kind, n, key)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("sweep row %s has no cell for %s of %d B", name, kind, n)
}

// UpdateFigures rewrites every figure of the page at path to what res
// measured, keeping the digits each one shows, and says how many changed.
// After a new benchmark run, it brings the pages along:
//
//	go test ./internal/pages -update
func UpdateFigures(path string, res *Results) (int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	lines := strings.Split(string(data), "\n")
	changed := 0
	for i, line := range lines {
		refs := figureRef.FindAllStringSubmatchIndex(line, -1)
		// From the last reference back, so earlier offsets stay valid.
		for j := len(refs) - 1; j >= 0; j-- {
			m := refs[j]
			want, err := res.value(line[m[2]:m[3]], line[m[4]:m[5]])
			if err != nil {
				return changed, fmt.Errorf("%s:%d: %w", path, i+1, err)
			}
			n := figureNum.FindStringSubmatchIndex(line[:m[0]])
			if n == nil {
				return changed, fmt.Errorf("%s:%d: no number before a figure reference", path, i+1)
			}
			want = asPercent(line[n[0]:n[1]], line[m[4]:m[5]], want)
			old := line[n[2]:n[3]]
			repl := formatFigure(old, line[n[4]:n[5]] == "k", want)
			if repl != old {
				line = line[:n[2]] + repl + line[n[3]:]
				changed++
			}
		}
		lines[i] = line
	}
	if changed == 0 {
		return 0, nil
	}
	return changed, os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644)
}

// asPercent scales a share (a field named ..._share, 0.86 for 86%) to
// the percentage a figure written with % shows.
func asPercent(written, field string, v float64) float64 {
	key, _, _ := strings.Cut(field, "@")
	if strings.Contains(written, "%") && strings.HasSuffix(key, "_share") {
		return v * 100
	}
	return v
}

// formatFigure writes v with as many decimals as old shows, or, in
// thousands (old had a k after it), as many significant digits.
func formatFigure(old string, k bool, v float64) string {
	decimals := 0
	if _, frac, ok := strings.Cut(old, "."); ok {
		decimals = len(frac)
	}
	if k {
		// Thousands keep as many significant digits as they had:
		// 4.76k becomes 11.1k, not 11.10k.
		v /= 1000
		sig := len(strings.TrimLeft(strings.NewReplacer(".", "", ",", "").Replace(old), "0"))
		decimals = max(0, sig-len(strconv.Itoa(int(math.Abs(v)))))
	}
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Contains(old, ",") {
		s = groupThousands(s)
	}
	return s
}

// groupThousands puts commas into the integer part: 12345.6 → 12,345.6.
func groupThousands(s string) string {
	intPart, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, r := range intPart {
		if i > 0 && (len(intPart)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(r)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return b.String()
}
