// The bench's README quotes one full run: its header, the throughput
// table, the payload sweep and what we expect. Each sits in both editions
// between <!-- results:NAME --> and <!-- /results -->, and is written
// from results.json by -readme, so a new run reaches the README without
// copying tables by hand. TestReadmeQuotesTheCommittedRun keeps the two
// in step.

package main

import (
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// readmeEditions are the bench's README files, English and Chinese.
var readmeEditions = []string{"README.md", "README.zh.md"}

// readmeSections are the quoted parts of the run, by marker name.
func readmeSections(rep *report) map[string]string {
	var sweep strings.Builder
	if len(rep.Sweep) > 0 {
		sweepHeader(&sweep)
		for _, r := range rep.Sweep {
			// Calls/s and wire bytes per payload byte in one cell.
			sweepRow(&sweep, r, func(c *sweepCell) string {
				return fmt.Sprintf("%s · %.1f×", fmtRate(c.CallsPerSec), c.WirePerPayload)
			})
		}
	}
	return map[string]string{
		"stamp":      stamp(rep),
		"throughput": tableOnly(throughputTable, rep),
		"sweep":      sweep.String(),
		"expected":   tableOnly(expectedTable, rep),
	}
}

// tableOnly is what write writes, without the heading and prose before
// its table: the README has its own, in each language.
func tableOnly(write func(*strings.Builder, *report), rep *report) string {
	var b strings.Builder
	write(&b, rep)
	s := b.String()
	return s[rowsStart(s):]
}

// rowsStart is where the first line of s that is a table row or a list
// item begins, or len(s) if none is: what comes before is prose.
func rowsStart(s string) int {
	for i := 0; i < len(s); {
		if strings.HasPrefix(s[i:], "|") || strings.HasPrefix(s[i:], "- ") {
			return i
		}
		n := strings.IndexByte(s[i:], '\n')
		if n < 0 {
			break
		}
		i += n + 1
	}
	return len(s)
}

// spliceReadme replaces the rows of each section of text (a table, or
// the stamp's list) with its new ones. What a section says before them
// (the sweep's explanation, in the edition's language) stays.
func spliceReadme(text string, sections map[string]string) (string, error) {
	for _, name := range slices.Sorted(maps.Keys(sections)) {
		open := "<!-- results:" + name + " -->\n"
		start := strings.Index(text, open)
		if start < 0 {
			return "", fmt.Errorf("no %q marker", strings.TrimSpace(open))
		}
		start += len(open)
		end := strings.Index(text[start:], "<!-- /results -->")
		if end < 0 {
			return "", fmt.Errorf("section %s has no end marker", name)
		}
		end += start
		start += rowsStart(text[start:end])
		text = text[:start] + sections[name] + text[end:]
	}
	return text, nil
}

// loadReport reads a results.json the bench wrote.
func loadReport(path string) (*report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read results: %w", err)
	}
	rep := &report{Stolen: -1}
	if err := json.Unmarshal(data, rep); err != nil {
		return nil, fmt.Errorf("read results %s: %w", path, err)
	}
	return rep, nil
}

// writeReadmes puts the run in dir/results.json into the READMEs next to
// dir (bench/README.md and README.zh.md for bench/results).
func writeReadmes(dir string) error {
	rep, err := loadReport(filepath.Join(dir, "results.json"))
	if err != nil {
		return err
	}
	sections := readmeSections(rep)
	for _, name := range readmeEditions {
		path := filepath.Join(filepath.Dir(filepath.Clean(dir)), name)
		text, err := os.ReadFile(path)
		if err != nil {
			return fmt.Errorf("readme: %w", err)
		}
		out, err := spliceReadme(string(text), sections)
		if err != nil {
			return fmt.Errorf("readme %s: %w", path, err)
		}
		if err := os.WriteFile(path, []byte(out), 0o644); err != nil {
			return fmt.Errorf("readme: %w", err)
		}
		fmt.Printf("written: %s\n", path)
	}
	return nil
}
