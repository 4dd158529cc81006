package proc

import (
	"errors"
	"os/exec"
	"slices"
	"syscall"
	"testing"
	"time"
)

func has(line string) func([]string) bool {
	return func(lines []string) bool { return slices.Contains(lines, line) }
}

func TestWaitForSeesLinesFromBothStreams(t *testing.T) {
	p, err := Start(exec.Command("bash", "-c", "echo out; echo err >&2; sleep 30"))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop(syscall.SIGKILL, time.Second)
	if err := p.WaitFor(has("err"), 10*time.Second); err != nil {
		t.Fatalf("WaitFor(err) = %v; output %q", err, p.Text())
	}
	if err := p.WaitFor(has("never"), 50*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("WaitFor(never) = %v, want ErrTimeout", err)
	}
	if !p.Stop(syscall.SIGTERM, 5*time.Second) {
		t.Fatal("SIGTERM did not end the process group")
	}
}

func TestWaitForReportsAnEarlyExit(t *testing.T) {
	p, err := Start(exec.Command("bash", "-c", "echo last words; exit 3"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.WaitFor(has("ready"), 10*time.Second); !errors.Is(err, ErrExited) {
		t.Fatalf("WaitFor = %v, want ErrExited", err)
	}
	if exited, err := p.Exited(); !exited || err == nil {
		t.Fatalf("Exited = %v, %v; want true and exit status 3", exited, err)
	}
	if p.Text() != "last words" {
		t.Fatalf("Text = %q: the last line must be read before the exit counts", p.Text())
	}
}
