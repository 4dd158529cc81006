package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestThePracticePagesListEveryExercise(t *testing.T) {
	for _, page := range []struct {
		file string
		l    lang
	}{{"README.md", english}, {"README.zh.md", chinese}} {
		b, err := os.ReadFile(page.file)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range exercises {
			item := "**" + e.id + "** " + levelText[e.level].in(page.l) + " — [" + e.title.in(page.l) +
				"](" + filepath.ToSlash(filepath.Join("..", e.file)) + ")"
			if !strings.Contains(string(b), item) {
				t.Errorf("practice/%s does not list exercise %s as %q", page.file, e.id, item)
			}
		}
	}
}
