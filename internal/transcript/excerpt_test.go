package transcript

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const excerptSource = `package demo

// Add adds.
func Add(x, y int) int {
	return x + y
}

// Sub subtracts.
func Sub(x, y int) int {
	return x - y
}
`

func writeExcerptPage(t *testing.T, page string) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "demo.go"), []byte(excerptSource), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "PAGE.md")
	if err := os.WriteFile(path, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestExcerptThatStandsInItsFilePasses(t *testing.T) {
	page := "# Demo\n\n```go file=demo.go\n// Add adds.\nfunc Add(x, y int) int {\n…\n}\n\n// Sub subtracts.\n```\n\n```go\nnot checked\n```\n"
	if errs := CheckExcerpts(writeExcerptPage(t, page)); len(errs) != 0 {
		t.Fatalf("want no error, got %v", errs)
	}
}

func TestExcerptThatNoLongerStandsInItsFileFails(t *testing.T) {
	page := "```go file=demo.go\nfunc Add(x, y int) int {\n\treturn y + x\n}\n```\n"
	errs := CheckExcerpts(writeExcerptPage(t, page))
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), `"\treturn y + x" (line 2 of the piece)`) ||
		!strings.Contains(errs[0].Error(), "PAGE.md:1:") {
		t.Fatalf("want one error naming the changed line and the page's line, got %v", errs)
	}
}

func TestExcerptPiecesMustKeepTheFilesOrder(t *testing.T) {
	page := "```go file=demo.go\nfunc Sub(x, y int) int {\n…\nfunc Add(x, y int) int {\n```\n"
	if errs := CheckExcerpts(writeExcerptPage(t, page)); len(errs) != 1 {
		t.Fatalf("want an error for pieces out of order, got %v", errs)
	}
}

func TestExcerptOfAMissingFileFails(t *testing.T) {
	page := "```go file=gone.go\nfunc Add() {}\n```\n"
	if errs := CheckExcerpts(writeExcerptPage(t, page)); len(errs) != 1 {
		t.Fatalf("want an error for a missing file, got %v", errs)
	}
}
