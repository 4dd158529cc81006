// Child processes: servers on the server CPU, Python clients on the
// client CPU.

package main

import (
	"bufio"
	"bytes"
	"context"
	"embed"
	"encoding/json"
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

// python is Debian's interpreter, the one its python3-* packages are
// installed for (the python3 first on PATH may be another).
const python = "/usr/bin/python3"

//go:embed peers/*.py
var peerScripts embed.FS

// writePeers copies the Python scripts to dir and returns it.
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

// pyImportable reports why /usr/bin/python3 cannot import the
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

// child is a running server process.
type child struct {
	cmd    *exec.Cmd
	stdin  io.WriteCloser
	addr   string
	stderr *tailBuffer
	done   chan error
}

// startServer starts the system's server on the server CPU and waits
// for its READY line.
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

// pid is the server's process id (taskset execs the server, so
// the pid is the server's own).
func (c *child) pid() int { return c.cmd.Process.Pid }

// stop closes the child's stdin (its signal to stop), then waits a
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

// tailBuffer keeps the last max bytes written: a child's stderr,
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

// pyResult is what clients.py prints for one cell.
type pyResult struct {
	Callers  int       `json:"callers"`
	Calls    int       `json:"calls"`
	Errors   int       `json:"errors"`
	FirstErr string    `json:"first_error"`
	Elapsed  float64   `json:"elapsed"`
	LatUS    []float64 `json:"lat_us"`
}

// runPyClient runs clients.py once on the client CPU: one cell per
// entry of callers, one after the other, in one Python process (the
// imports of oslo.messaging alone take seconds).
func runPyClient(ctx context.Context, r *runner, sys *system, addr string, callers []int, d, warm time.Duration) ([]pyResult, error) {
	list := make([]string, len(callers))
	for i, n := range callers {
		list[i] = strconv.Itoa(n)
	}
	args := []string{filepath.Join(r.peers, sys.PyClient[0]), sys.PyClient[1], addr,
		strings.Join(list, ","), fmt.Sprintf("%.3f", d.Seconds()), fmt.Sprintf("%.3f", warm.Seconds()), "0"}
	args = append(args, sys.PyClient[2:]...)
	ctx, cancel := context.WithTimeout(ctx, time.Duration(len(callers))*(d+warm+time.Minute))
	defer cancel()
	cmd := pinnedCommand(r.pl, clientCPU, python, args...)
	cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	var out bytes.Buffer
	errb := &tailBuffer{max: 4096}
	cmd.Stdout, cmd.Stderr = &out, errb
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	pinStarted(r.pl, clientCPU, cmd)
	if err := cmd.Wait(); err != nil {
		return nil, fmt.Errorf("python client: %v: %s", err, lastLine(errb.String()))
	}
	var res []pyResult
	dec := json.NewDecoder(&out)
	for dec.More() {
		var pr pyResult
		if err := dec.Decode(&pr); err != nil {
			return nil, fmt.Errorf("python client output: %v: %s", err, lastLine(errb.String()))
		}
		res = append(res, pr)
	}
	if len(res) != len(callers) {
		return nil, fmt.Errorf("python client reported %d cells, want %d: %s", len(res), len(callers), lastLine(errb.String()))
	}
	return res, nil
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// runPyCells measures every cell with the Python client: one process
// per repetition, each cell with its own warm-up.
func runPyCells(ctx context.Context, r *runner, sys *system, addr string, s settings) ([]cellResult, error) {
	cells := make([]cellResult, len(s.Callers))
	lat := make([][]float64, len(s.Callers))
	for i, n := range s.Callers {
		cells[i] = cellResult{Callers: n, AllocsPer: -1, ClientCPU: -1, ServerCPU: -1}
	}
	for rep := 0; rep < s.Reps; rep++ {
		prs, err := runPyClient(ctx, r, sys, addr, s.Callers, s.Duration, s.Warmup)
		if err != nil {
			return nil, err
		}
		for i, pr := range prs {
			c := &cells[i]
			c.Calls += pr.Calls
			c.Errors += pr.Errors
			if pr.FirstErr != "" && c.FirstErr == "" {
				c.FirstErr = pr.FirstErr
			}
			c.PerRep = append(c.PerRep, float64(pr.Calls)/pr.Elapsed)
			lat[i] = append(lat[i], pr.LatUS...)
		}
	}
	for i := range cells {
		cells[i].summarize(lat[i])
	}
	return cells, nil
}
