package pypeer

import (
	"strings"
	"testing"
	"time"
)

func TestRunAndStartTalkToDebiansPython(t *testing.T) {
	Require(t, "json")
	out := Run(t, t.Context(), "-c", "import sys; print('hello', sys.argv[1])", "peer")
	if strings.TrimSpace(out) != "hello peer" {
		t.Fatalf("Run output = %q", out)
	}
	p := Start(t, "-c", "import time; print('READY 127.0.0.1:1'); time.sleep(60)")
	if line := p.WaitLine(t, "READY ", 30*time.Second); line != "READY 127.0.0.1:1" {
		t.Fatalf("WaitLine = %q", line)
	}
	p.Stop()
	if err := p.Wait(time.Second); err == nil {
		t.Fatal("a stopped peer should report how it ended")
	}
}

func TestEvalSendsAndReadsJSON(t *testing.T) {
	Require(t, "json")
	var out []string
	Eval(t, "import json, sys; json.dump([repr(v) for v in json.load(sys.stdin)], sys.stdout)", []any{1.5, "é"}, &out)
	if len(out) != 2 || out[0] != "1.5" || out[1] != "'é'" {
		t.Fatalf("Eval = %q", out)
	}
}

func TestImportableNamesTheMissingModule(t *testing.T) {
	err := importable("no_such_module_for_the_course")
	if err == nil || !strings.Contains(err.Error(), "no_such_module_for_the_course") {
		t.Fatalf("importable = %v, want an error naming the module", err)
	}
}
