// The README's console transcripts are run and checked: if the lesson
// changes what it prints, this test fails.
package readme_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run several times")
	}
	transcript.Check(t, "README.md")
}
