package main

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// The page's console transcripts are run and checked: if the tour
// changes what it prints, this test fails. The page shows lesson 01,
// which needs no broker. Its first command shows the tour's default
// language, so the locale is set to one that is not Chinese.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run several times")
	}
	transcript.Check(t, "README.md", transcript.Env("LC_ALL=", "LC_MESSAGES=", "LANG=C.UTF-8"))
}
