package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// root is the module's root, seen from this package's directory.
const root = ".."

func TestRegistryMatchesTheExerciseFiles(t *testing.T) {
	seen := map[string]bool{}
	perLesson := map[int]int{}
	lastLevel := map[int]level{}
	for _, e := range exercises {
		perLesson[e.lesson]++
		if want := fmt.Sprintf("%02d.%d", e.lesson, perLesson[e.lesson]); e.id != want {
			t.Errorf("exercise %s: want id %s (lesson, then its number in order)", e.id, want)
		}
		if seen[e.id] {
			t.Errorf("exercise %s is registered twice", e.id)
		}
		seen[e.id] = true
		if !strings.HasPrefix(e.file, fmt.Sprintf("%02d-", e.lesson)) || filepath.Base(e.dir()) != "exercises" {
			t.Errorf("exercise %s: file %s is not in lesson %02d's exercises directory", e.id, e.file, e.lesson)
		}
		if e.level < lastLevel[e.lesson] {
			t.Errorf("exercise %s: %s after a harder one; order each lesson from warm-up to stretch",
				e.id, levelText[e.level].en)
		}
		lastLevel[e.lesson] = e.level
		if e.title.en == "" || e.title.zh == "" || len(e.hints) == 0 {
			t.Errorf("exercise %s: needs a title in both languages and at least one hint", e.id)
		}
		for i, h := range e.hints {
			if h.en == "" || h.zh == "" {
				t.Errorf("exercise %s: hint %d lacks a language", e.id, i+1)
			}
		}
		base := strings.TrimSuffix(e.file, ".go")
		requireFile(t, e.id, e.file, "//go:build !solutions\n", "Your code here.")
		requireFile(t, e.id, base+"_solution.go", "//go:build solutions\n")
		requireFile(t, e.id, base+"_test.go", "//go:build exercises\n", "func "+e.test+"(t *testing.T)")
	}
	for lesson := 1; lesson <= 7; lesson++ {
		if perLesson[lesson] < 3 {
			t.Errorf("lesson %02d has %d exercises; every lesson needs at least 3", lesson, perLesson[lesson])
		}
		if _, ok := lessonTitles[lesson]; !ok {
			t.Errorf("lesson %02d has no title", lesson)
		}
	}
}

// requireFile fails the test unless file starts with prefix and holds
// every one of wants.
func requireFile(t *testing.T, id, file, prefix string, wants ...string) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(root, file))
	if err != nil {
		t.Errorf("exercise %s: %v", id, err)
		return
	}
	if !strings.HasPrefix(string(b), prefix) {
		t.Errorf("exercise %s: %s must start with %q", id, file, prefix)
	}
	for _, w := range wants {
		if !strings.Contains(string(b), w) {
			t.Errorf("exercise %s: %s does not contain %q", id, file, w)
		}
	}
}

func TestEveryExerciseTestIsRegistered(t *testing.T) {
	registered := map[string]bool{}
	dirs := map[string]bool{}
	for _, e := range exercises {
		registered[e.dir()+" "+e.test] = true
		dirs[e.dir()] = true
	}
	testFunc := regexp.MustCompile(`(?m)^func (Test\w+)\(t \*testing\.T\)`)
	files, err := filepath.Glob(filepath.Join(root, "0*", "exercises", "*_test.go"))
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		dir, _ := filepath.Rel(root, filepath.Dir(f))
		dir = filepath.ToSlash(dir)
		if !dirs[dir] {
			t.Errorf("%s: its package has no registered exercise", f)
		}
		if !strings.HasPrefix(string(b), "//go:build exercises\n") {
			t.Errorf("%s must start with //go:build exercises, or go test ./... fails on unsolved exercises", f)
		}
		for _, m := range testFunc.FindAllStringSubmatch(string(b), -1) {
			if !registered[dir+" "+m[1]] {
				t.Errorf("%s: %s is not registered in practice/registry.go", f, m[1])
			}
		}
	}
}
