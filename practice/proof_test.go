package main

import (
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// proofWorkers is how many go test runs the proof has going at once.
// Most of their time is spent waiting for a broker or a Python peer to
// start, not computing.
const proofWorkers = 4

// TestEveryExerciseFailsWithoutItsSolutionAndPassesWithIt proves the
// exercises both ways: with the stubs a student starts from, every
// exercise's test fails (none is solved for free); with the reference
// solutions (build tag solutions), every one passes (none is
// impossible). One go test per exercises package and mode. Broker and
// Python exercises skip where there is no broker or Python peer, except
// under CI, where they must run.
func TestEveryExerciseFailsWithoutItsSolutionAndPassesWithIt(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every exercise twice; not in -short mode")
	}
	modes := []struct {
		tags string
		want status
	}{
		{"exercises", failed},
		{"exercises,solutions", passed},
	}
	// The lessons with a broker take longest: start them first.
	groups := byPackage(exercises)
	slices.Reverse(groups)
	var wg sync.WaitGroup
	sem := make(chan struct{}, proofWorkers)
	for _, group := range groups {
		for _, mode := range modes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				sem <- struct{}{}
				defer func() { <-sem }()
				t.Run(group[0].dir()+"/"+mode.tags, func(t *testing.T) {
					proveBothWays(t, group, mode.tags, mode.want)
				})
			}()
		}
	}
	wg.Wait()
}

// proveBothWays runs one exercises package with tags and checks that
// every exercise's test ended as want.
func proveBothWays(t *testing.T, group []exercise, tags string, want status) {
	ci := os.Getenv("CI") != ""
	dir := group[0].dir()
	start := time.Now()
	run, err := runTests(t.Context(), root, dir, tags, testNames(group))
	if err != nil {
		t.Fatal(err)
	}
	if len(run.buildError) > 0 {
		t.Fatalf("-tags %s: %s does not build:\n%s", tags, dir, joinLines(run.buildError))
	}
	for _, e := range group {
		r := run.results[e.test]
		switch {
		case r == nil:
			t.Errorf("-tags %s: exercise %s: %s did not run", tags, e.id, e.test)
		case r.status == skipped && !ci:
			t.Logf("-tags %s: exercise %s skipped (no %s here): %s", tags, e.id, e.peer, skipReason(e, r))
		case r.status != want:
			t.Errorf("-tags %s: exercise %s (%s): %s did %s; want it to %s:\n%s", tags, e.id, e.file,
				e.test, verb(r.status), verb(want), joinLines(testLines(e.test, r.output)))
		}
	}
	t.Logf("-tags %s: %d exercises in %v", tags, len(group), time.Since(start).Round(time.Millisecond))
}

// verb says what a test did.
func verb(s status) string {
	switch s {
	case passed:
		return "pass"
	case failed:
		return "fail"
	case skipped:
		return "skip"
	}
	return "not run"
}

// joinLines joins lines for a test message.
func joinLines(lines []string) string { return strings.Join(lines, "\n") }
