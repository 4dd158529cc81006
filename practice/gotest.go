package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"time"
)

// status is what one exercise's test did.
type status int

const (
	notRun status = iota // not run, or the package was never reached
	passed
	failed
	skipped
)

// result is one test's outcome and what it printed.
type result struct {
	status status
	output []string // the test's own lines, without go test's framing
}

// packageRun is one go test of an exercises package.
type packageRun struct {
	results    map[string]*result // by top-level test name
	buildError []string           // set when the package did not build
}

// testEvent is one line of go test -json (see go doc test2json).
type testEvent struct {
	Action     string
	Package    string
	ImportPath string // build-output events
	Test       string
	Output     string
}

// goTestArgs is the go test command line for tests in dir with tags.
func goTestArgs(dir, tags string, tests []string) []string {
	return []string{"test", "-tags", tags, "-count=1", "-json", "-timeout", "10m",
		"-run", "^(" + strings.Join(tests, "|") + ")$", "./" + dir + "/"}
}

// runTests runs go test -json on one exercises package, with the build
// tags given, in the module at root, and sorts its events per test.
func runTests(ctx context.Context, root, dir, tags string, tests []string) (*packageRun, error) {
	cmd := exec.CommandContext(ctx, "go", goTestArgs(dir, tags, tests)...)
	cmd.Dir = root
	// On Ctrl-C, let go test stop its test binary (and the containers
	// it started) rather than killing it outright.
	cmd.Cancel = func() error { return cmd.Process.Signal(os.Interrupt) }
	cmd.WaitDelay = 30 * time.Second
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	run := parseEvents(&stdout)
	if len(run.results) == 0 && len(run.buildError) == 0 && err != nil {
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(cmd.Args[1:], " "), err, stderr.String())
	}
	if len(run.buildError) > 0 || (len(run.results) == 0 && stderr.Len() > 0) {
		run.buildError = append(run.buildError, splitLines(stderr.String())...)
	}
	return run, nil
}

// parseEvents reads go test -json output. Output that belongs to no test
// (a build failure, a panic in TestMain) is kept as the package's.
func parseEvents(r io.Reader) *packageRun {
	run := &packageRun{results: map[string]*result{}}
	var pkgOutput []string
	buildFailed := false
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var ev testEvent
		if json.Unmarshal(sc.Bytes(), &ev) != nil {
			pkgOutput = append(pkgOutput, sc.Text()) // not JSON: a build message
			continue
		}
		if ev.Action == "build-output" || ev.Action == "build-fail" {
			buildFailed = true
			pkgOutput = append(pkgOutput, splitLines(ev.Output)...)
			continue
		}
		if ev.Test == "" {
			if ev.Action == "output" {
				pkgOutput = append(pkgOutput, splitLines(ev.Output)...)
			}
			continue
		}
		name, _, _ := strings.Cut(ev.Test, "/")
		res := run.results[name]
		if res == nil {
			res = &result{}
			run.results[name] = res
		}
		switch {
		case ev.Action == "output":
			res.output = append(res.output, splitLines(ev.Output)...)
		case ev.Test != name: // a subtest's verdict; its parent's decides
		case ev.Action == "pass":
			res.status = passed
		case ev.Action == "fail":
			res.status = failed
		case ev.Action == "skip":
			res.status = skipped
		}
	}
	if buildFailed || (len(run.results) == 0 && hasFailure(pkgOutput)) {
		run.buildError = cleanPackageOutput(pkgOutput)
	}
	return run
}

// hasFailure reports whether package output says the run failed.
func hasFailure(lines []string) bool {
	for _, l := range lines {
		if strings.HasPrefix(l, "FAIL") || strings.HasPrefix(l, "panic:") {
			return true
		}
	}
	return false
}

// cleanPackageOutput drops go test's summary lines from package output.
func cleanPackageOutput(lines []string) []string {
	var out []string
	for _, l := range lines {
		if l == "FAIL" || strings.HasPrefix(l, "FAIL\t") || strings.HasPrefix(l, "ok  \t") {
			continue
		}
		out = append(out, l)
	}
	return out
}

// testLines is what a student needs from a test's output: what the test
// itself reported (t.Error, t.Log: lines indented by four spaces, with
// its subtests' verdicts), or a panic and its stack, without go test's
// === RUN framing, the test's own --- FAIL line, or what libraries logged
// meanwhile (a broker container starting, say). If that leaves nothing,
// every line is kept.
func testLines(name string, output []string) []string {
	var own, all []string
	panicked := false
	for _, l := range output {
		t := strings.TrimSpace(l)
		switch {
		case strings.HasPrefix(t, "=== "), t == "":
			continue
		case strings.HasPrefix(t, "--- ") && strings.Contains(t, ": "+name+" ("):
			continue
		}
		all = append(all, l)
		if strings.HasPrefix(l, "panic:") {
			panicked = true
		}
		if panicked || strings.HasPrefix(l, "    ") {
			own = append(own, l)
		}
	}
	if len(own) == 0 {
		return all
	}
	return own
}

// splitLines splits s into lines without their line ends.
func splitLines(s string) []string {
	s = strings.TrimRight(s, "\n")
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}
