package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// options are the command's flags.
type options struct {
	lesson   int
	allHints bool
	lang     string
}

// run checks the exercises, lesson by lesson, and prints the report to
// out. It stops after the first lesson with an unsolved exercise.
func run(ctx context.Context, opts options, out io.Writer) error {
	l, err := detectLang(opts.lang, os.Getenv)
	if err != nil {
		return err
	}
	list := selectLesson(exercises, opts.lesson)
	if len(list) == 0 {
		return fmt.Errorf("-lesson %d: no such lesson (1–7)", opts.lesson)
	}
	root, err := moduleRoot(ctx)
	if err != nil {
		return err
	}
	results := map[string]*result{}
	buildErrors := map[string][]string{}
	for _, group := range byPackage(list) {
		progress(fmt.Sprintf(msgRunning.in(l), group[0].lesson))
		pkg, err := runTests(ctx, root, group[0].dir(), "exercises", testNames(group))
		progress("")
		if err != nil {
			return err
		}
		for _, e := range group {
			if r := pkg.results[e.test]; r != nil && len(pkg.buildError) == 0 {
				results[e.id] = r
			} else {
				results[e.id] = &result{status: failed}
			}
		}
		if len(pkg.buildError) > 0 {
			buildErrors[group[0].dir()] = pkg.buildError
		}
		if firstUnsolved(group, results) != nil {
			break
		}
	}
	report(out, l, list, results, buildErrors, opts.allHints)
	return nil
}

// selectLesson returns the exercises of lesson n, or all of them for 0.
func selectLesson(all []exercise, n int) []exercise {
	if n == 0 {
		return all
	}
	var list []exercise
	for _, e := range all {
		if e.lesson == n {
			list = append(list, e)
		}
	}
	return list
}

// byPackage groups consecutive exercises that share a package, so each
// package is tested once.
func byPackage(list []exercise) [][]exercise {
	var groups [][]exercise
	for _, e := range list {
		if n := len(groups); n > 0 && groups[n-1][0].dir() == e.dir() {
			groups[n-1] = append(groups[n-1], e)
			continue
		}
		groups = append(groups, []exercise{e})
	}
	return groups
}

// testNames lists the tests of a group of exercises.
func testNames(group []exercise) []string {
	names := make([]string, len(group))
	for i, e := range group {
		names[i] = e.test
	}
	return names
}

// firstUnsolved is the first exercise in list whose test ran and did
// not pass; skipped ones (no broker, no Python) do not stop a student.
func firstUnsolved(list []exercise, results map[string]*result) *exercise {
	for i, e := range list {
		if r := results[e.id]; r != nil && r.status == failed {
			return &list[i]
		}
	}
	return nil
}

// moduleRoot is the directory of the course's go.mod, found by the go
// command from the current directory.
func moduleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run this inside the course's directory (no go.mod found)")
	}
	return filepath.Dir(gomod), nil
}

// progress shows what is being checked on a terminal's last line (and
// clears it with ""); into a pipe or file it writes nothing.
func progress(msg string) {
	if fi, err := os.Stderr.Stat(); err != nil || fi.Mode()&os.ModeCharDevice == 0 {
		return
	}
	fmt.Fprintf(os.Stderr, "\r\033[K%s", msg)
}
