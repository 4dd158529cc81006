// Package pages holds the test that keeps the course's pages a book: every
// page has its Chinese edition beside it, the two link to each other, each
// is short enough to read in one sitting, lesson pages share one title
// form, and every excerpt and benchmark figure on them is true.
package pages

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// update rewrites the pages' benchmark figures after a new run.
var update = flag.Bool("update", false, "rewrite every page's benchmark figures to bench/results/results.json")

// maxLines is about what a student reads in one sitting.
const maxLines = 260

var (
	lessonDir   = regexp.MustCompile(`^(0[1-7])-`)
	makingWords = regexp.MustCompile(`(?i)\bthe issue\b|issue's|\breviewers?\b|TODO\(`)
)

// coursePages lists every Markdown page a student reads, relative to the
// module root: not test data, not the benchmark's generated results.
func coursePages(t *testing.T, root string) []string {
	t.Helper()
	var pages []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		if d.IsDir() {
			switch d.Name() {
			case ".git", ".ci", "testdata", "node_modules", "results":
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(rel, ".md") {
			pages = append(pages, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(pages) == 0 {
		t.Fatal("no pages found")
	}
	return pages
}

func moduleRoot(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Fatalf("no go.mod two levels up: %v", err)
	}
	return dir
}

func TestEveryPageHasItsChineseEditionAndTheyLinkToEachOther(t *testing.T) {
	root := moduleRoot(t)
	for _, page := range coursePages(t, root) {
		other, isZh := strings.CutSuffix(page, ".zh.md")
		if isZh {
			other += ".md"
		} else {
			other = strings.TrimSuffix(page, ".md") + ".zh.md"
		}
		if _, err := os.Stat(filepath.Join(root, other)); err != nil {
			t.Errorf("%s has no edition %s beside it", page, other)
			continue
		}
		head := firstLines(t, filepath.Join(root, page), 6)
		if !strings.Contains(head, "("+filepath.Base(other)+")") && !strings.Contains(head, "("+filepath.Base(other)+"#") {
			t.Errorf("%s: its first lines must link to %s", page, filepath.Base(other))
		}
	}
}

func TestEveryPageReadsInOneSitting(t *testing.T) {
	root := moduleRoot(t)
	for _, page := range coursePages(t, root) {
		data, err := os.ReadFile(filepath.Join(root, page))
		if err != nil {
			t.Fatal(err)
		}
		if n := strings.Count(string(data), "\n"); n > maxLines {
			t.Errorf("%s has %d lines; a page should have at most about %d: split it", page, n, maxLines)
		}
		if m := makingWords.Find(data); m != nil {
			t.Errorf("%s speaks of how the course is made (%q): pages speak of the course", page, m)
		}
	}
}

func TestLessonPagesShareOneTitleForm(t *testing.T) {
	root := moduleRoot(t)
	for _, page := range coursePages(t, root) {
		m := lessonDir.FindStringSubmatch(page)
		if m == nil {
			continue
		}
		title := firstLines(t, filepath.Join(root, page), 1)
		if want := fmt.Sprintf("# %s · ", m[1]); !strings.HasPrefix(title, want) {
			t.Errorf("%s: title %q should start with %q", page, strings.TrimSpace(title), want)
		}
	}
}

func TestExcerptsAndFiguresOnEveryPageAreTrue(t *testing.T) {
	root := moduleRoot(t)
	results := filepath.Join(root, "bench", "results", "results.json")
	if *update {
		res, err := transcript.LoadResults(results)
		if err != nil {
			t.Fatal(err)
		}
		for _, page := range coursePages(t, root) {
			n, err := transcript.UpdateFigures(filepath.Join(root, page), res)
			if err != nil {
				t.Fatal(err)
			}
			if n > 0 {
				t.Logf("%s: %d figures updated", page, n)
			}
		}
	}
	for _, page := range coursePages(t, root) {
		if strings.HasSuffix(page, ".zh.md") {
			continue // checked with its page, as an edition
		}
		for _, err := range transcript.CheckPage(filepath.Join(root, page), results) {
			t.Error(err)
		}
	}
}

func firstLines(t *testing.T, path string, n int) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitN(string(data), "\n", n+1)
	if len(lines) > n {
		lines = lines[:n]
	}
	return strings.Join(lines, "\n")
}
