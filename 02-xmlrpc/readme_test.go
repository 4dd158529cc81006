package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// Every console block of the README runs, and prints what the README
// says it prints. The blocks use the fixed ports 8088 and 8089.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the programs with go run")
	}
	pypeer.Require(t, "xmlrpc.client", "xmlrpc.server")
	transcript.Check(t, "README.md")
}
