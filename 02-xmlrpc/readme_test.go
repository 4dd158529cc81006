package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// Every console block of the lesson's pages runs and prints what the
// page says; each page's Chinese edition must show the same commands.
// The blocks use the fixed ports 8088 and 8089, so the pages run one
// after the other. The commands need go, curl and Python's xmlrpc.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the programs with go run")
	}
	pypeer.Require(t, "xmlrpc.client", "xmlrpc.server")
	for _, page := range []string{"README.md", "concurrency.md", "limits.md"} {
		t.Run(page, func(t *testing.T) { transcript.Check(t, page) })
	}
}
