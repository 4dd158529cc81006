//go:build exercises

package exercises_test

import (
	"bytes"
	"errors"
	"os/exec"
	"strings"
	"testing"
)

func TestPowerAnswersTheCommandLine(t *testing.T) {
	endpoint := serve(t)
	// The lesson's own command line, as a student runs it.
	cli := func(args ...string) (stdout, stderr string, code int) {
		t.Helper()
		cmd := exec.CommandContext(t.Context(), "go", append([]string{"run", "../cli"}, args...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case errors.As(err, &exit):
			code = exit.ExitCode()
		case err != nil:
			t.Fatalf("go run ../cli: %v", err)
		}
		return strings.TrimSpace(out.String()), errOut.String(), code
	}

	out, errOut, code := cli("-j", endpoint, "power", "2", "10")
	if code != 0 || out != "1024" {
		t.Fatalf("zerorpc -j %s power 2 10 printed %q (stderr %q, exit %d); want 1024.\n"+
			"Look at Caculate.Power in power.go.", endpoint, out, lastLine(errOut), code)
	}
	_, errOut, code = cli("-j", endpoint, "power", "2", "-1")
	if code != 1 || !strings.Contains(errOut, "ValueError") {
		t.Errorf("zerorpc -j %s power 2 -1 exited %d with stderr %q; want exit 1 and a ValueError",
			endpoint, code, lastLine(errOut))
	}
}

// lastLine is the last line of s that go run did not add.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	for i := len(lines) - 1; i > 0; i-- {
		if !strings.HasPrefix(lines[i], "exit status ") {
			return lines[i]
		}
	}
	return lines[0]
}
