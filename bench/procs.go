// Child processes: servers on the server CPU, Python clients on the
// client CPU.
package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
)

// `python` is Debian's interpreter, the one its python3-* packages are
// installed for (the `python3` first on PATH may be another).
const python = "/usr/bin/python3"

//go:embed peers/*.py
var peerScripts embed.FS

// `writePeers` copies the Python scripts to `dir` and returns it.
func writePeers(dir string) error {
	entries, err := peerScripts.ReadDir("peers")
	if err != nil {
		return err
	}
	for _, e := range entries {
		b, err := peerScripts.ReadFile("peers/" + e.Name())
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// `pyImportable` reports why `/usr/bin/python3` cannot import the
// modules, or "" when it can.
func pyImportable(modules []string) string {
	if _, err := os.Stat(python); err != nil {
		return python + " not found"
	}
	script := "import " + strings.Join(modules, ", ")
	out, err := exec.Command(python, "-c", script).CombinedOutput()
	if err != nil {
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		return "not installed (" + lines[len(lines)-1] + ")"
	}
	return ""
}

// `child` is a running server process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	addr   string
	stderr *tailBuffer
	done   chan error
}

// `startServer` starts the system's server on the server CPU and waits
// for its `READY` line.
func startServer(ctx context.Context, r *runner, sys *system, amqpURL string) (*child, error) {
	var cmd *exec.Cmd
	if sys.ServeName != "" {
		self, err := os.Executable()
		if err != nil {
			return nil, err
		}
		cmd = pinnedCommand(r.pl, serverCPU, self, "-serve", sys.ServeName)
	} else {
		args := append([]string{filepath.Join(r.peers, sys.PyServer[0])}, sys.PyServer[1:]...)
		cmd = pinnedCommand(r.pl, serverCPU, python, args...)
	}
	cmd.Env = append(os.Environ(), "AMQP_URL="+amqpURL, pinnedEnv+"=")
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	c := &child{cmd: cmd, stdin: stdin, stderr: &tailBuffer{max: 4096}, done: make(chan error, 1)}
	cmd.Stderr = c.stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start server: %w", err)
	}
	pinStarted(r.pl, serverCPU, cmd)
	ready := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if a, ok := strings.CutPrefix(sc.Text(), "READY "); ok {
				select {
				case ready <- a:
				default:
				}
			}
		}
		io.Copy(io.Discard, stdout)
		c.done <- cmd.Wait()
	}()
	select {
	case c.addr = <-ready:
		return c, nil
	case err := <-c.done:
		return nil, fmt.Errorf("server exited before READY (%v): %s", err, c.stderr.String())
	case <-time.After(90 * time.Second):
		c.stop()
		return nil, fmt.Errorf("server not READY after 90s: %s", c.stderr.String())
	case <-ctx.Done():
		c.stop()
		return nil, ctx.Err()
	}
}

// `stop` closes the child's stdin (its signal to stop), then waits a
// little, then kills it.
func (c *child) stop() {
	c.stdin.Close()
	select {
	case <-c.done:
		return
	case <-time.After(5 * time.Second):
	}
	c.cmd.Process.Kill()
	<-c.done
}

// `tailBuffer` keeps the last `max` bytes written: a child's stderr,
// for error messages.
type tailBuffer struct {
	mu  sync.Mutex
	b   []byte
	max int
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.b = append(t.b, p...)
	if len(t.b) > t.max {
		t.b = t.b[len(t.b)-t.max:]
	}
	return len(p), nil
}

func (t *tailBuffer) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.TrimSpace(string(t.b))
}

// `pyResult` is what clients.py prints.
type pyResult struct {
	Calls    int       `json:"calls"`
	Errors   int       `json:"errors"`
	FirstErr string    `json:"first_error"`
	Elapsed  float64   `json:"elapsed"`
	LatUS    []float64 `json:"lat_us"`
}

// `runPyClient` runs clients.py once on the client CPU.
func runPyClient(ctx context.Context, r *runner, sys *system, addr string, threads int, d, warm time.Duration, calls int) (*pyResult, error) {
	args := []string{filepath.Join(r.peers, sys.PyClient[0]), sys.PyClient[1], addr,
		strconv.Itoa(threads), fmt.Sprintf("%.3f", d.Seconds()), fmt.Sprintf("%.3f", warm.Seconds()),
		strconv.Itoa(calls)}
	args = append(args, sys.PyClient[2:]...)
	ctx, cancel := context.WithTimeout(ctx, d+warm+2*time.Minute)
	defer cancel()
	cmd := pinnedCommand(r.pl, clientCPU, python, args...)
	cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pinStarted(r.pl, clientCPU, cmd)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("python client: %v: %s", err, lastLine(errb.String()))
	}
	var res pyResult
	if err := json.Unmarshal(out.Bytes(), &res); err != nil {
		return nil, fmt.Errorf("python client output: %v: %s", err, lastLine(errb.String()))
	}
	return &res, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// `runPyCell` measures one cell with the Python client: one process
// per repetition, each with its own warm-up.
func runPyCell(ctx context.Context, r *runner, sys *system, addr string, callers int, s settings) (cellResult, error) {
	res := cellResult{Callers: callers, AllocsPer: -1}
	var all []float64
	for rep := 0; rep < s.Reps; rep++ {
		pr, err := runPyClient(ctx, r, sys, addr, callers, s.Duration, s.Warmup, 0)
		if err != nil {
			return res, err
		}
		res.Calls += pr.Calls
		res.Errors += pr.Errors
		if pr.FirstErr != "" && res.FirstErr == "" {
			res.FirstErr = pr.FirstErr
		}
		res.PerRep = append(res.PerRep, float64(pr.Calls)/pr.Elapsed)
		all = append(all, pr.LatUS...)
	}
	if res.Calls == 0 {
		return res, errors.New("no call succeeded: " + res.FirstErr)
	}
	res.summarize(all)
	return res, nil
}
