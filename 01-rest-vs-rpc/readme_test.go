package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// TestREADME runs every command the README shows, and the output it
// promises must appear. The server uses the lesson's fixed ports
// 8000–8002; the commands need go and curl.
func TestREADME(t *testing.T) {
	transcript.Check(t, "README.md")
}
