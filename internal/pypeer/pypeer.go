// Package pypeer runs the Python programs a lesson is proven against.
//
// Every lesson speaks a protocol that Python speaks too, and the proof that
// it speaks it for real is a Python peer on the other end: Python's own
// xmlrpc, jsonrpclib, pika, oslo.messaging. The peers are Debian's
// packages, run with Debian's /usr/bin/python3 (the python3 first on a
// developer's PATH is often another one that cannot see them).
//
// A peer that is missing skips the test with the apt-get line that
// installs it, except under CI (the CI variable is set), where a missing
// peer fails the test: a green CI must mean the interop tests ran.
package pypeer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/proc"
)

// Python is Debian's interpreter, the one its python3-* packages serve.
const Python = "/usr/bin/python3"

// packages names the Debian package behind each module a lesson imports,
// for the how-to-install line.
var packages = map[string]string{
	"jsonrpclib":     "python3-jsonrpclib-pelix",
	"oslo_messaging": "python3-oslo.messaging",
	"oslo_config":    "python3-oslo.config",
	"pika":           "python3-pika",
	"zmq":            "python3-zmq",
	"msgpack":        "python3-msgpack",
	"gevent":         "python3-gevent",
}

var (
	mu      sync.Mutex
	checked = map[string]error{} // module → import error (nil: importable)
)

// Require returns the interpreter once it can import every module named,
// or skips the test (fails it under CI) saying how to install what is missing.
func Require(t testing.TB, modules ...string) string {
	t.Helper()
	var missing []string
	var reasons []string
	for _, m := range modules {
		if err := importable(m); err != nil {
			missing = append(missing, m)
			reasons = append(reasons, err.Error())
		}
	}
	if len(missing) == 0 {
		return Python
	}
	pkgs := map[string]bool{}
	for _, m := range missing {
		if p, ok := packages[strings.SplitN(m, ".", 2)[0]]; ok {
			pkgs[p] = true
		}
	}
	var list []string
	for p := range pkgs {
		list = append(list, p)
	}
	sort.Strings(list)
	msg := fmt.Sprintf("Python peer unavailable (%s): %s", strings.Join(missing, ", "), strings.Join(reasons, "; "))
	if len(list) > 0 {
		msg += fmt.Sprintf("; install it with: sudo apt-get install %s", strings.Join(list, " "))
	}
	if os.Getenv("CI") != "" {
		t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
	}
	t.Skip(msg)
	return ""
}

// importable asks the interpreter once per module and remembers the answer.
func importable(module string) error {
	mu.Lock()
	defer mu.Unlock()
	if err, ok := checked[module]; ok {
		return err
	}
	var err error
	if _, statErr := os.Stat(Python); statErr != nil {
		err = fmt.Errorf("%s not found", Python)
	} else {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		out, runErr := Command(ctx, "-c", "import "+module).CombinedOutput()
		if runErr != nil {
			err = fmt.Errorf("import %s: %s", module, lastLine(out))
		}
	}
	checked[module] = err
	return err
}

// Command builds a command that runs [Python] with args in a clean
// Python environment: unbuffered output (so lines arrive as they are
// printed) and none of the variables that would point Debian's
// interpreter at another installation. For a peer that needs more than
// [Run] or [Start] offer, such as its stdin; call [Require] first.
func Command(ctx context.Context, args ...string) *exec.Cmd {
	cmd := exec.CommandContext(ctx, Python, args...)
	var env []string
	for _, kv := range os.Environ() {
		if strings.HasPrefix(kv, "PYTHONPATH=") || strings.HasPrefix(kv, "PYTHONHOME=") {
			continue
		}
		env = append(env, kv)
	}
	cmd.Env = append(env, "PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1")
	return cmd
}

// Run runs a script to completion and returns what it printed on stdout.
// A non-zero exit fails the test with the script's stderr.
func Run(t testing.TB, ctx context.Context, script string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	cmd := Command(ctx, append([]string{script}, args...)...)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3 %s %s: %v\n--- stdout ---\n%s\n--- stderr ---\n%s",
			script, strings.Join(args, " "), err, stdout.String(), stderr.String())
	}
	return stdout.String()
}

// Eval runs code, a Python program, with in written as JSON on its
// stdin, and decodes the JSON it prints into out: how a test asks
// Python what it makes of many values at once (json.load(sys.stdin) in,
// json.dump(…, sys.stdout) out). Any failure fails the test.
func Eval(t testing.TB, code string, in, out any) {
	t.Helper()
	data, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	cmd := Command(t.Context(), "-c", code)
	cmd.Stdin = bytes.NewReader(data)
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("python3: %v\n%s", err, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), out); err != nil {
		t.Fatalf("python3 printed %q: %v", stdout.String(), err)
	}
}

// A Process is a Python peer running in the background.
type Process struct {
	*proc.Process
}

// Start runs a script in the background; it is stopped (SIGTERM, then
// SIGKILL) when the test ends, and its output is logged if the test failed.
func Start(t testing.TB, script string, args ...string) *Process {
	t.Helper()
	// Not t.Context(): it is canceled before the cleanup below runs, and
	// would kill the peer at once instead of letting it stop on SIGTERM.
	p, err := proc.Start(Command(context.Background(), append([]string{script}, args...)...))
	if err != nil {
		t.Fatalf("start python3 %s: %v", script, err)
	}
	t.Cleanup(func() {
		p.Stop(syscall.SIGTERM, 5*time.Second)
		if t.Failed() {
			t.Logf("python3 %s output:\n%s", script, p.Text())
		}
	})
	return &Process{p}
}

// WaitLine waits for an output line that starts with prefix and
// returns it, failing the test if the peer exits or the time runs out first.
func (p *Process) WaitLine(t testing.TB, prefix string, timeout time.Duration) string {
	t.Helper()
	var line string
	err := p.WaitFor(func(lines []string) bool {
		for _, l := range lines {
			if strings.HasPrefix(l, prefix) {
				line = l
				return true
			}
		}
		return false
	}, timeout)
	if err != nil {
		_, exitErr := p.Exited()
		t.Fatalf("python peer did not print %q (%v, exit: %v):\n%s", prefix, err, exitErr, p.Text())
	}
	return line
}

// Output is everything the peer has printed so far.
func (p *Process) Output() string { return p.Text() }

// Stop ends the peer: SIGTERM, and SIGKILL if it is still there 5 s later.
func (p *Process) Stop() { p.Process.Stop(syscall.SIGTERM, 5*time.Second) }

func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}
