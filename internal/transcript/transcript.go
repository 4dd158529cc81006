// Package transcript keeps a README's console transcripts true.
//
// Go by Example shows each program's output beside its code, typed by
// hand and never checked. Our READMEs show the same kind of transcript,
// and [Check] runs it: every command in a fenced code block whose info
// string is console is executed from the module root, and the lines
// printed under it must appear in its output. When a lesson changes what
// it prints, its README test fails.
//
// The format of a block (the fence lines around it, three backquotes
// followed by console and three backquotes alone, are left out here):
//
//	$ go run ./02-xmlrpc/server &
//	Listening on http://127.0.0.1:8088/
//	$ go run ./02-xmlrpc/client
//	add(2, 3) = 5
//
// The rules:
//   - A line starting with "$ " is a command, run with bash -c in the
//     module root. The lines after it, up to the next command, are output
//     that must appear in that command's stdout and stderr, in this order
//     (other lines may come between them). Each expected line must match a
//     whole output line; "…" (U+2026) in it matches any text, and a line
//     that is only "…" stands for output that is not checked.
//   - A command ending in " &" runs in the background. The block goes on once
//     its first expected line has appeared. When the block ends, and its
//     expected lines have appeared (or a few seconds have passed, for
//     lines it prints only while stopping), it gets SIGINT (Ctrl-C), must
//     then exit with status 0 (servers shut down cleanly), and all its
//     expected lines must have appeared, including those it printed while
//     stopping. "go run" is fine: the go tool
//     itself is spared the signal, so it reports the program's own status.
//   - A foreground command must exit with status 0. To show one that
//     fails, write "$ cmd; echo "exit $?"" and expect the "exit 1" line.
//   - Blocks run one after another, in the order of the README. Use another
//     info string (sh, text) for commands that must not run.
package transcript

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/proc"
)

// How long things may take on a loaded two-core machine: go run compiles
// first, so even a tiny program can take seconds to print its first line.
const (
	commandTimeout = 3 * time.Minute
	readyTimeout   = 2 * time.Minute
	stopTimeout    = 15 * time.Second
	// settleTimeout is how long a background command's expected lines
	// get to appear before the Ctrl-C at the end of its block.
	settleTimeout = 5 * time.Second
)

// An Option changes how [Check] runs the commands.
type Option func(*config)

type config struct {
	env []string
}

// Env adds KEY=value pairs to the environment of every command, for
// example the broker URL a test started: transcript.Env("AMQP_URL=" + url).
func Env(kv ...string) Option {
	return func(c *config) { c.env = append(c.env, kv...) }
}

// A Command is one $ line of a block and the output promised under it.
type Command struct {
	Line       int    // line number in the README
	Shell      string // what is passed to bash -c
	Background bool
	Expect     []string
}

// A Block is one fenced console block.
type Block struct {
	Line     int
	Commands []Command
}

// Parse reads the fenced console blocks of a README.
func Parse(r io.Reader) ([]Block, error) {
	var (
		blocks []Block
		cur    *Block
		sc     = bufio.NewScanner(r)
		n      int
	)
	sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
	for sc.Scan() {
		n++
		line := strings.TrimRight(sc.Text(), " \t\r")
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && strings.HasPrefix(trimmed, "```"):
			if strings.TrimSpace(strings.TrimPrefix(trimmed, "```")) == "console" {
				cur = &Block{Line: n}
			} else {
				// Skip other fences whole, so a "$ " inside them is not read.
				for sc.Scan() {
					n++
					if strings.HasPrefix(strings.TrimSpace(sc.Text()), "```") {
						break
					}
				}
			}
		case cur != nil && strings.HasPrefix(trimmed, "```"):
			blocks = append(blocks, *cur)
			cur = nil
		case cur != nil && strings.HasPrefix(trimmed, "$ "):
			shell := strings.TrimSpace(strings.TrimPrefix(trimmed, "$ "))
			bg := strings.HasSuffix(shell, " &")
			if bg {
				shell = strings.TrimSpace(strings.TrimSuffix(shell, "&"))
			}
			cur.Commands = append(cur.Commands, Command{Line: n, Shell: shell, Background: bg})
		case cur != nil && trimmed != "" && trimmed != "…":
			if len(cur.Commands) == 0 {
				return nil, fmt.Errorf("line %d: output before any $ command", n)
			}
			c := &cur.Commands[len(cur.Commands)-1]
			c.Expect = append(c.Expect, trimmed)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if cur != nil {
		return nil, fmt.Errorf("line %d: ```console block is never closed", cur.Line)
	}
	return blocks, nil
}

// Check runs every fenced console block of the README at readme (a path
// relative to the test's package directory) and reports each promise the
// output does not keep.
func Check(t *testing.T, readme string, opts ...Option) {
	t.Helper()
	var cfg config
	for _, o := range opts {
		o(&cfg)
	}
	f, err := os.Open(readme)
	if err != nil {
		t.Fatalf("open README: %v", err)
	}
	blocks, err := Parse(f)
	f.Close()
	if err != nil {
		t.Fatalf("%s: %v", readme, err)
	}
	if len(blocks) == 0 {
		t.Fatalf("%s has no ```console block to check", readme)
	}
	root, err := moduleRoot()
	if err != nil {
		t.Fatalf("find module root: %v", err)
	}
	// The page's editions show the same commands, so they run once; what
	// needs no command (excerpts, figures) is checked in every edition.
	for _, err := range CheckPage(readme, resultsFile(root)) {
		t.Error(err)
	}
	env := append(os.Environ(), cfg.env...)
	for _, b := range blocks {
		t.Run(fmt.Sprintf("line_%d", b.Line), func(t *testing.T) {
			runBlock(t, readme, root, env, b)
		})
	}
}

// runBlock runs one block's commands in order, stopping its background
// commands at the end.
func runBlock(t *testing.T, readme, root string, env []string, b Block) {
	var bg []*process
	defer func() {
		// On a failure midway, nothing is left running.
		for _, p := range bg {
			p.kill()
		}
	}()
	for _, c := range b.Commands {
		p, err := start(root, env, c)
		if err != nil {
			t.Fatalf("%s:%d: start %q: %v", readme, c.Line, c.Shell, err)
		}
		if c.Background {
			bg = append(bg, p)
			if len(c.Expect) > 0 {
				if err := p.waitFor(c.Expect[:1], readyTimeout); err != nil {
					t.Fatalf("%s:%d: %q never became ready: %v\n--- output ---\n%s",
						readme, c.Line, c.Shell, err, p.Text())
				}
			}
			continue
		}
		err = p.wait(commandTimeout)
		out := p.Text()
		if err != nil {
			t.Fatalf("%s:%d: %q: %v\n--- output ---\n%s", readme, c.Line, c.Shell, err, out)
		}
		if err := p.waitFor(c.Expect, 0); err != nil {
			t.Errorf("%s:%d: %q: %v\n--- output ---\n%s", readme, c.Line, c.Shell, err, out)
		}
		t.Logf("$ %s\n%s", c.Shell, out)
	}
	// At the end of the block, Ctrl-C each background command, latest first
	// (clients before the servers they use); then all the lines promised
	// under it must be there, those it printed while stopping included.
	for i := len(bg) - 1; i >= 0; i-- {
		p := bg[i]
		// What a later command caused (a message delivered, a request
		// logged) may still be on its way: a student would see it appear
		// before pressing Ctrl-C, so wait for it. Lines printed only while
		// stopping cannot appear yet; they cost the wait's full length.
		_ = p.waitFor(p.cmd.Expect, settleTimeout)
		p.interrupt(t, readme)
		if err := p.waitFor(p.cmd.Expect, 0); err != nil {
			t.Errorf("%s:%d: %q: %v\n--- output ---\n%s", readme, p.cmd.Line, p.cmd.Shell, err, p.Text())
		}
	}
	bg = nil
}

// A process is one running command of a block.
type process struct {
	cmd Command
	*proc.Process
}

func start(root string, env []string, c Command) (*process, error) {
	cmd := exec.Command("bash", "-c", c.Shell)
	cmd.Dir = root
	cmd.Env = env
	p, err := proc.Start(cmd)
	if err != nil {
		return nil, err
	}
	return &process{cmd: c, Process: p}, nil
}

// wait waits for a foreground command to exit with status 0.
func (p *process) wait(timeout time.Duration) error {
	err := p.Wait(timeout)
	if errors.Is(err, proc.ErrTimeout) {
		p.kill()
	}
	return err
}

// waitFor waits until the expected lines have appeared in order, the
// process has exited without them, or the timeout has passed.
func (p *process) waitFor(expect []string, timeout time.Duration) error {
	patterns := make([]*regexp.Regexp, len(expect))
	for i, e := range expect {
		patterns[i] = pattern(e)
	}
	missing := 0
	err := p.WaitFor(func(lines []string) bool {
		missing = firstMissing(patterns, lines)
		return missing < 0
	}, timeout)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, proc.ErrTimeout) && timeout > 0:
		return fmt.Errorf("after %v, output still lacks %q (in order)", timeout, expect[missing])
	default:
		return fmt.Errorf("output lacks %q (in order)", expect[missing])
	}
}

// firstMissing matches the patterns against the lines in order and
// returns the index of the first one not found, or -1.
func firstMissing(patterns []*regexp.Regexp, lines []string) int {
	i := 0
	for _, l := range lines {
		if i < len(patterns) && patterns[i].MatchString(l) {
			i++
		}
	}
	if i == len(patterns) {
		return -1
	}
	return i
}

// pattern turns an expected line into a whole-line regular expression in
// which … matches anything.
func pattern(expect string) *regexp.Regexp {
	parts := strings.Split(expect, "…")
	for i, s := range parts {
		parts[i] = regexp.QuoteMeta(s)
	}
	return regexp.MustCompile(`^\s*` + strings.Join(parts, ".*") + `\s*$`)
}

// interrupt stops a background command as a student would, with Ctrl-C,
// and reports it if it does not then exit cleanly.
func (p *process) interrupt(t *testing.T, readme string) {
	t.Helper()
	if exited, err := p.Exited(); exited {
		t.Errorf("%s:%d: background command %q exited before the block ended: %v\n--- output ---\n%s",
			readme, p.cmd.Line, p.cmd.Shell, err, p.Text())
		return
	}
	p.ctrlC()
	err := p.Wait(stopTimeout)
	if errors.Is(err, proc.ErrTimeout) {
		p.kill()
		t.Errorf("%s:%d: %q did not stop within %v of Ctrl-C\n--- output ---\n%s",
			readme, p.cmd.Line, p.cmd.Shell, stopTimeout, p.Text())
		return
	}
	if err != nil {
		t.Errorf("%s:%d: %q after Ctrl-C: %v (want a clean exit)\n--- output ---\n%s",
			readme, p.cmd.Line, p.cmd.Shell, err, p.Text())
	}
}

// ctrlC sends SIGINT, as a terminal's Ctrl-C does, to every process of
// the command except the go tool. go run waits for the program it built
// and then exits with the program's status; but if it gets the signal too,
// it exits with status 1 however cleanly the program stopped. Without
// /proc (not Linux), the whole process group gets it.
func (p *process) ctrlC() {
	pids := tree(p.Pid())
	if len(pids) == 0 {
		p.Signal(syscall.SIGINT)
		return
	}
	for _, pid := range pids {
		comm, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "comm"))
		if strings.TrimSpace(string(comm)) == "go" {
			continue
		}
		_ = syscall.Kill(pid, syscall.SIGINT)
	}
}

// tree lists root and every process below it, read from /proc.
func tree(root int) []int {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	children := map[int][]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// After the command name, which is in parentheses and may hold
		// spaces, come the state and then the parent's pid.
		rest := string(stat[strings.LastIndexByte(string(stat), ')')+1:])
		if fields := strings.Fields(rest); len(fields) >= 2 {
			if ppid, err := strconv.Atoi(fields[1]); err == nil {
				children[ppid] = append(children[ppid], pid)
			}
		}
	}
	pids := []int{root}
	for i := 0; i < len(pids); i++ {
		pids = append(pids, children[pids[i]]...)
	}
	return pids
}

func (p *process) kill() {
	p.Stop(syscall.SIGKILL, time.Minute)
}

// moduleRoot walks up from the test's directory to the go.mod.
func moduleRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no go.mod above the working directory")
		}
		dir = parent
	}
}
