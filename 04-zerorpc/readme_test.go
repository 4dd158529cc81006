// The pages' console transcripts are run and checked: if the lesson
// changes what it prints, this test fails.
package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// pages are the lesson's pages that show commands to run. They use the
// article's fixed ports, so they run one after the other.
var pages = []string{"README.md", "cli.md", "limits.md"}

func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run several times")
	}
	pypeer.Require(t, "zmq")
	for _, page := range pages {
		t.Run(page, func(t *testing.T) { transcript.Check(t, page) })
	}
}
