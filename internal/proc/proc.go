// Package proc runs a command in the background and keeps what it prints,
// line by line, so a test can wait for the line that says it is ready.
//
// Two test helpers need this: transcript, which runs the commands of a
// README, and pypeer, which runs the Python peers. Both start a program,
// read its stdout and stderr as one stream of lines, wait until some line
// shows up (or the program exits, or time runs out), and stop it at the end.
package proc

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"time"
)

// A Process is a started command and the lines it has printed so far.
type Process struct {
	cmd     *exec.Cmd
	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced whenever a line arrives or the process ends
	done    chan struct{} // closed once the process has exited and all its output is read
	err     error
}

// Start starts cmd in a process group of its own (so that signals can
// reach everything it starts), with stdout and stderr read as one stream.
func Start(cmd *exec.Cmd) (*Process, error) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	cmd.Stderr = pw
	p := &Process{cmd: cmd, changed: make(chan struct{}), done: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	read := make(chan struct{})
	go func() {
		defer close(read)
		sc := bufio.NewScanner(pr)
		sc.Buffer(make([]byte, 0, 64*1024), 1<<20)
		for sc.Scan() {
			p.mu.Lock()
			p.lines = append(p.lines, strings.TrimRight(sc.Text(), " \t\r"))
			p.notify()
			p.mu.Unlock()
		}
		io.Copy(io.Discard, pr) // a line over 1 MiB ends the scan; keep the pipe drained
	}()
	go func() {
		err := cmd.Wait()
		pw.Close()
		<-read // every line is in p.lines before the process counts as done
		p.mu.Lock()
		p.err = err
		close(p.done)
		p.notify()
		p.mu.Unlock()
	}()
	return p, nil
}

// notify wakes everyone waiting for a change; p.mu is held.
func (p *Process) notify() {
	close(p.changed)
	p.changed = make(chan struct{})
}

// Pid is the process id, also the id of its process group.
func (p *Process) Pid() int { return p.cmd.Process.Pid }

// Text is everything printed so far.
func (p *Process) Text() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.lines, "\n")
}

// Exited reports whether the process has ended, and how.
func (p *Process) Exited() (bool, error) {
	select {
	case <-p.done:
		p.mu.Lock()
		defer p.mu.Unlock()
		return true, p.err
	default:
		return false, nil
	}
}

// ErrTimeout is what the waits return when time runs out.
var ErrTimeout = errors.New("timed out")

// Wait waits for the process to exit and returns its exit error.
func (p *Process) Wait(timeout time.Duration) error {
	select {
	case <-p.done:
	case <-time.After(timeout):
		return fmt.Errorf("still running after %v: %w", timeout, ErrTimeout)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.err
}

// WaitFor calls found with all lines printed so far, again after each
// new line, until it returns true. It returns nil then, [ErrExited] if the
// process ended first, or [ErrTimeout]. A zero timeout looks once.
func (p *Process) WaitFor(found func(lines []string) bool, timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		p.mu.Lock()
		ok := found(p.lines)
		changed := p.changed
		p.mu.Unlock()
		if ok {
			return nil
		}
		if exited, _ := p.Exited(); exited {
			// The last lines and the exit arrive together: look once more.
			p.mu.Lock()
			ok = found(p.lines)
			p.mu.Unlock()
			if ok {
				return nil
			}
			return ErrExited
		}
		if timeout == 0 {
			return ErrTimeout
		}
		select {
		case <-changed:
		case <-deadline:
			return ErrTimeout
		}
	}
}

// ErrExited is what [WaitFor] returns when the process ended before the
// line it waited for.
var ErrExited = errors.New("process exited")

// Signal sends sig to the whole process group.
func (p *Process) Signal(sig syscall.Signal) {
	_ = syscall.Kill(-p.Pid(), sig)
}

// Stop ends the process group: sig, then SIGKILL if it is still
// running after grace. It reports whether sig alone was enough.
func (p *Process) Stop(sig syscall.Signal, grace time.Duration) bool {
	if exited, _ := p.Exited(); exited {
		return true
	}
	p.Signal(sig)
	select {
	case <-p.done:
		return true
	case <-time.After(grace):
		p.Signal(syscall.SIGKILL)
		<-p.done
		return false
	}
}
