//go:build exercises

package exercises_test

import (
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/exercises"
)

func TestPowerIsListedExplainedAndCallableFromPython(t *testing.T) {
	srv, err := exercises.NewPowerServer()
	if err != nil {
		t.Fatalf("NewPowerServer: %v", err)
	}
	out := python(t, srv, "power")
	hint := "Look at methodhelp.go: RegisterFunction(\"power\", Power), then SetHelp."
	requireLines(t, out, hint, "listed -> True")
	if !strings.Contains(out, "help -> 'power(x, y)") {
		t.Fatalf("Python's xmlrpc.client printed:\n%s\nwant system.methodHelp('power') to start with %q.\n%s",
			out, "power(x, y)", hint)
	}
	requireLines(t, out, "Look at Power in methodhelp.go.", "power(2, 10) -> 1024")
	if !strings.Contains(out, "power(2, -1) Fault") {
		t.Errorf("Python's xmlrpc.client printed:\n%s\nwant power(2, -1) to be a Fault: a negative exponent is an error", out)
	}
}
