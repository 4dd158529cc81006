package main

import (
	"os"
	"path/filepath"
	"testing"
)

// The tables in both READMEs are the committed run's, as -readme writes
// them: a new run that is not quoted, or a table edited by hand, fails.
func TestReadmeQuotesTheCommittedRun(t *testing.T) {
	rep, err := loadReport(filepath.Join("results", "results.json"))
	if err != nil {
		t.Fatal(err)
	}
	sections := readmeSections(rep)
	for _, name := range readmeEditions {
		text, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		want, err := spliceReadme(string(text), sections)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if string(text) != want {
			t.Errorf("%s does not quote results/results.json; run go run ./bench -readme", name)
		}
	}
}
