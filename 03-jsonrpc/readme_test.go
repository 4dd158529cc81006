package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// Every console block of the lesson's pages runs and prints what the
// page says. The blocks use the article's fixed port 8080, so the pages
// run one after the other.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the programs with go run")
	}
	pypeer.Require(t, "jsonrpclib")
	for _, page := range []string{"README.md", "zabbix.md", "limits.md"} {
		t.Run(page, func(t *testing.T) { transcript.Check(t, page) })
	}
}
