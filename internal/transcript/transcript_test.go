package transcript

import (
	"regexp"
	"strings"
	"testing"
)

// The sample README exercises every rule: a background command with a
// wildcard, foreground output in order, an elided line, a skipped fence,
// the environment option and a shown exit status.
func TestCheckRunsSampleREADME(t *testing.T) {
	Check(t, "testdata/README.md", Env("GREETING=hello from Env"))
}

func TestParseFindsConsoleCommandsAndRejectsBrokenBlocks(t *testing.T) {
	blocks, err := Parse(strings.NewReader("```console\n$ a &\nx\n…\ny\n$ b\n```\n```sh\n$ c\n```\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(blocks) != 1 || len(blocks[0].Commands) != 2 {
		t.Fatalf("blocks = %+v, want one block with two commands", blocks)
	}
	a := blocks[0].Commands[0]
	if a.Shell != "a" || !a.Background || strings.Join(a.Expect, ",") != "x,y" {
		t.Errorf("first command = %+v", a)
	}
	if _, err := Parse(strings.NewReader("```console\noutput first\n```\n")); err == nil {
		t.Error("output before a command: want an error")
	}
	if _, err := Parse(strings.NewReader("```console\n$ a\n")); err == nil {
		t.Error("unclosed block: want an error")
	}
}

func TestPatternMatchesWholeLines(t *testing.T) {
	for _, c := range []struct {
		expect, line string
		want         bool
	}{
		{"add(2, 3) = 5", "add(2, 3) = 5", true},
		{"add(2, 3) = 5", "add(2, 3) = 55", false},
		{"took …ms", "took 12.5ms", true},
		{"[x] …", "[x] anything at all", true},
		{"a.b", "axb", false},
	} {
		if got := pattern(c.expect).MatchString(c.line); got != c.want {
			t.Errorf("pattern(%q).Match(%q) = %v, want %v", c.expect, c.line, got, c.want)
		}
	}
}

func TestFirstMissingKeepsOrder(t *testing.T) {
	patterns := []*regexp.Regexp{pattern("a"), pattern("b")}
	if got := firstMissing(patterns, []string{"b", "a"}); got != 1 {
		t.Errorf("firstMissing = %d, want 1 (b must come after a)", got)
	}
	if got := firstMissing(patterns, []string{"a", "x", "b"}); got != -1 {
		t.Errorf("firstMissing = %d, want -1", got)
	}
}
