package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// TestREADME runs every command the lesson's pages show, and the output
// they promise must appear; each page's Chinese edition must show the
// same commands. The server uses the lesson's fixed ports 8000–8002; the
// commands need go and curl.
func TestREADME(t *testing.T) {
	for _, page := range []string{"README.md", "wire.md"} {
		t.Run(page, func(t *testing.T) {
			transcript.Check(t, page)
		})
	}
}
