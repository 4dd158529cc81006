package main

import (
	"os"
	"strings"
	"testing"
	"time"
)

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
	ci := os.Getenv("CI") != ""
	for _, group := range byPackage(exercises) {
		dir := group[0].dir()
		t.Run(dir, func(t *testing.T) {
			t.Parallel()
			for _, mode := range []struct {
				tags string
				want status
			}{
				{"exercises", failed},
				{"exercises,solutions", passed},
			} {
				start := time.Now()
				run, err := runTests(t.Context(), root, dir, mode.tags, testNames(group))
				if err != nil {
					t.Fatal(err)
				}
				if len(run.buildError) > 0 {
					t.Fatalf("-tags %s: %s does not build:\n%s", mode.tags, dir, joinLines(run.buildError))
				}
				for _, e := range group {
					r := run.results[e.test]
					switch {
					case r == nil:
						t.Errorf("-tags %s: exercise %s: %s did not run", mode.tags, e.id, e.test)
					case r.status == skipped && !ci:
						t.Logf("-tags %s: exercise %s skipped (no %s here): %s", mode.tags, e.id, e.peer, skipReason(e, r))
					case r.status != mode.want:
						t.Errorf("-tags %s: exercise %s (%s): %s %s; want it to %s:\n%s", mode.tags, e.id, e.file,
							e.test, verb(r.status), verb(mode.want), joinLines(testLines(e.test, r.output)))
					}
				}
				t.Logf("-tags %s: %d exercises in %v", mode.tags, len(group), time.Since(start).Round(time.Millisecond))
			}
		})
	}
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
