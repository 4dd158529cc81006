// Placement: where the client and the servers run.
//
// This machine has two CPUs, and moving a busy goroutine or thread from
// one to the other is expensive. So the bench pins itself (the calling
// side) to CPU 0 and every server it starts to CPU 1, with taskset from
// util-linux when it is installed, else with the sched_setaffinity
// system call. RabbitMQ runs in its container and is not pinned.

package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"syscall"
	"unsafe"
)

// clientCPU and serverCPU are the two CPUs the bench uses.
const (
	clientCPU = 0
	serverCPU = 1
)

// pinnedEnv marks a process that was re-executed under taskset, so
// it does not do it again.
const pinnedEnv = "RPCBENCH_PINNED"

// placement says, for the report, how the processes were placed.
type placement struct {
	Pinned  bool   `json:"pinned"`
	How     string `json:"how"`
	CPUs    int    `json:"cpus"`
	Summary string `json:"summary"`
}

// taskset is the path of util-linux's taskset, or "".
func taskset() string {
	p, err := exec.LookPath("taskset")
	if err != nil {
		return ""
	}
	return p
}

// pinSelf pins this process to cpu. With taskset present it
// re-executes the program under it (so that every thread, and
// GOMAXPROCS, see one CPU) and never returns; reexec false skips
// that. Otherwise it sets the affinity of every thread the process has
// now; threads started later inherit it.
func pinSelf(cpu int, reexec bool) (placement, error) {
	n := runtime.NumCPU()
	if os.Getenv(pinnedEnv) != "" {
		return placement{Pinned: true, How: "taskset", CPUs: n}, nil
	}
	if n < 2 && os.Getenv(pinnedEnv) == "" {
		return placement{CPUs: n, How: "none (fewer than 2 CPUs)"}, nil
	}
	if ts := taskset(); ts != "" && reexec {
		self, err := os.Executable()
		if err != nil {
			return placement{}, fmt.Errorf("find own executable: %w", err)
		}
		args := append([]string{ts, "-c", strconv.Itoa(cpu), self}, os.Args[1:]...)
		env := append(os.Environ(), pinnedEnv+"=1")
		// syscall.Exec replaces this process: same pid, same
		// stdin/stdout, now on one CPU from its first instruction.
		return placement{}, syscall.Exec(ts, args, env)
	}
	if err := setAffinityAllThreads(os.Getpid(), cpu); err != nil {
		return placement{CPUs: n, How: "none (" + err.Error() + ")"}, nil
	}
	runtime.GOMAXPROCS(1)
	return placement{Pinned: true, How: "sched_setaffinity", CPUs: n}, nil
}

// setAffinityAllThreads pins every thread of process pid to cpu.
func setAffinityAllThreads(pid, cpu int) error {
	tids, err := filepath.Glob(fmt.Sprintf("/proc/%d/task/*", pid))
	if err != nil || len(tids) == 0 {
		tids = []string{strconv.Itoa(pid)}
	}
	for _, t := range tids {
		tid, err := strconv.Atoi(filepath.Base(t))
		if err != nil {
			continue
		}
		if err := setAffinity(tid, cpu); err != nil {
			return err
		}
	}
	return nil
}

// setAffinity is sched_setaffinity(tid, {cpu}).
func setAffinity(tid, cpu int) error {
	var mask [16]uint64
	mask[cpu/64] |= 1 << (uint(cpu) % 64)
	_, _, errno := syscall.RawSyscall(syscall.SYS_SCHED_SETAFFINITY,
		uintptr(tid), uintptr(len(mask)*8), uintptr(unsafe.Pointer(&mask[0])))
	if errno != 0 {
		return fmt.Errorf("sched_setaffinity: %w", errno)
	}
	return nil
}

// pinnedCommand returns a command for name args… that runs on
// cpu: under taskset when present. Without it, the caller pins the
// started process with pinStarted.
func pinnedCommand(pl placement, cpu int, name string, args ...string) *exec.Cmd {
	if pl.Pinned {
		if ts := taskset(); ts != "" {
			return exec.Command(ts, append([]string{"-c", strconv.Itoa(cpu), name}, args...)...)
		}
	}
	return exec.Command(name, args...)
}

// pinStarted pins a started process when taskset could not.
func pinStarted(pl placement, cpu int, cmd *exec.Cmd) {
	if pl.Pinned && taskset() == "" && cmd.Process != nil {
		_ = setAffinityAllThreads(cmd.Process.Pid, cpu)
	}
}
