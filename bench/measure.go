// Measuring one cell: a number of callers in a closed loop.
//
// Closed loop: each caller makes a call, waits for its answer, and
// makes the next one at once. Throughput is calls answered per second;
// latency is each call's time from start to answer. A cell is warmed up
// first, then timed for a fixed duration, reps times; throughput is
// reported as min/median/max over the repetitions and the latency
// percentiles over every call of every repetition.

package main

import (
	"context"
	"fmt"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// cellResult is one (system, callers) cell.
type cellResult struct {
	Callers   int       `json:"callers"`
	PerRep    []float64 `json:"calls_per_sec_per_rep"`
	Min       float64   `json:"calls_per_sec_min"`
	Median    float64   `json:"calls_per_sec_median"`
	Max       float64   `json:"calls_per_sec_max"`
	Calls     int       `json:"calls"`
	Errors    int       `json:"errors"`
	Abandoned int       `json:"abandoned,omitempty"` // still waiting when the window's grace ran out
	FirstErr  string    `json:"first_error,omitempty"`
	P50       float64   `json:"p50_us"`
	P99       float64   `json:"p99_us"`
	P999      float64   `json:"p99_9_us"` // NaN-free: -1 when not meaningful
	AllocsPer float64   `json:"client_allocs_per_call"`
	// CPU time used during the measured windows, as a share of one
	// CPU: the client (this process) and the server's process. A side
	// near 1.0 is the bottleneck. -1 when not measured.
	ClientCPU float64 `json:"client_cpu_share"`
	ServerCPU float64 `json:"server_cpu_share"`
}

// settings are the run's timings.
type settings struct {
	Warmup   time.Duration `json:"warmup_ns"`
	Duration time.Duration `json:"duration_ns"`
	Reps     int           `json:"reps"`
	Callers  []int         `json:"callers"`
	Short    bool          `json:"short"`
	// SweepDuration is the time of each payload sweep cell.
	SweepDuration time.Duration `json:"sweep_duration_ns"`
}

// percentile is the nearest-rank percentile of sorted xs: the
// smallest value with at least p% of the samples at or below it.
func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return math.NaN()
	}
	rank := int(math.Ceil(p*float64(len(sorted))/100 - 1e-9))
	if rank < 1 {
		rank = 1
	}
	if rank > len(sorted) {
		rank = len(sorted)
	}
	return sorted[rank-1]
}

// minSamplesP999 is how many samples a p99.9 needs to mean anything:
// with fewer, it is just the maximum.
const minSamplesP999 = 1000

// summarize fills the throughput and latency fields.
func (r *cellResult) summarize(latUS []float64) {
	if len(r.PerRep) > 0 {
		s := slices.Clone(r.PerRep)
		slices.Sort(s)
		r.Min, r.Max = s[0], s[len(s)-1]
		r.Median = median(s)
	}
	slices.Sort(latUS)
	r.P50, r.P99, r.P999 = -1, -1, -1
	if len(latUS) > 0 {
		r.P50 = percentile(latUS, 50)
		r.P99 = percentile(latUS, 99)
	}
	if len(latUS) >= minSamplesP999 {
		r.P999 = percentile(latUS, 99.9)
	}
}

func median(sorted []float64) float64 {
	n := len(sorted)
	if n%2 == 1 {
		return sorted[n/2]
	}
	return (sorted[n/2-1] + sorted[n/2]) / 2
}

// grace is how long calls still running at the end of a window may
// take to finish. Later they are abandoned (not counted): a server
// that drops connections can leave a caller waiting for TCP's SYN
// retries for a minute.
const grace = 2 * time.Second

// loop runs callers closed-loop callers until d has passed and
// returns the calls answered, the latencies (µs, if lat), the errors,
// the calls abandoned at the end and the first error.
func loop(ctx context.Context, c Client, callers int, d time.Duration, lat [][]float64) (calls, errs, abandoned int, first error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		ok    = make([]int, callers)
		bad   = make([]int, callers)
		cut   = make([]int, callers)
		until = time.Now().Add(d)
	)
	cctx, cancel := context.WithDeadline(ctx, until.Add(grace))
	defer cancel()
	for i := 0; i < callers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			for time.Now().Before(until) && ctx.Err() == nil {
				t0 := time.Now()
				_, err := c.Add(cctx, 2, 3)
				t1 := time.Now()
				el := t1.Sub(t0)
				if t1.After(until) {
					// Answered after the window: not counted, as
					// the window's rate is calls answered in it.
					if err != nil && cctx.Err() != nil && ctx.Err() == nil {
						cut[i]++
					}
					return
				}
				if err != nil {
					bad[i]++
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
					// A broken system fails fast; don't spin on it.
					if bad[i] > 100 {
						return
					}
					continue
				}
				ok[i]++
				if lat != nil {
					lat[i] = append(lat[i], float64(el.Nanoseconds())/1e3)
				}
			}
		}(i)
	}
	wg.Wait()
	for i := range ok {
		calls += ok[i]
		errs += bad[i]
		abandoned += cut[i]
	}
	return calls, errs, abandoned, first
}

// drain waits for a one-way system's server to catch up.
func drain(ctx context.Context, c Client) error {
	d, ok := c.(drainer)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	return d.Drain(ctx)
}

// runCell measures one cell with a Go client.
func runCell(ctx context.Context, c Client, callers int, s settings, serverPid int) (cellResult, error) {
	r := cellResult{Callers: callers}
	var cliCPU, srvCPU, wall time.Duration
	srvOK := serverPid > 0
	// Warm-up: connections opened, pools filled, code paths hot.
	wcalls, _, _, werr := loop(ctx, c, callers, s.Warmup, nil)
	if wcalls == 0 && werr != nil {
		return r, fmt.Errorf("warm-up: %w", werr)
	}
	if err := drain(ctx, c); err != nil {
		return r, err
	}
	// Room for the latencies, sized from the warm-up's rate, so that
	// recording them does not show up as client allocations.
	expect := int(float64(wcalls)/s.Warmup.Seconds()*s.Duration.Seconds()*1.5)/callers + 64
	var all []float64
	var mallocs uint64
	for rep := 0; rep < s.Reps; rep++ {
		lat := make([][]float64, callers)
		for i := range lat {
			lat[i] = make([]float64, 0, expect)
		}
		var m0, m1 runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&m0)
		c0, s0 := selfCPU(), procCPU(serverPid)
		w0 := time.Now()
		calls, errs, cut, first := loop(ctx, c, callers, s.Duration, lat)
		wall += time.Since(w0)
		c1, s1 := selfCPU(), procCPU(serverPid)
		cliCPU += c1 - c0
		if s0 < 0 || s1 < 0 {
			srvOK = false
		}
		srvCPU += s1 - s0
		r.Abandoned += cut
		runtime.ReadMemStats(&m1)
		// One-way systems: the clock runs on until the server has
		// consumed everything.
		t0 := time.Now()
		derr := drain(ctx, c)
		el := s.Duration + time.Since(t0)
		if _, ok := c.(drainer); !ok {
			el = s.Duration
		}
		if derr != nil {
			return r, derr
		}
		mallocs += m1.Mallocs - m0.Mallocs
		r.Calls += calls
		r.Errors += errs
		if first != nil && r.FirstErr == "" {
			r.FirstErr = first.Error()
		}
		r.PerRep = append(r.PerRep, float64(calls)/el.Seconds())
		for _, l := range lat {
			all = append(all, l...)
		}
		if ctx.Err() != nil {
			return r, ctx.Err()
		}
	}
	// A cell where every call failed is a result too (the table says
	// "all failed"), not the end of the row.
	if r.Calls > 0 {
		r.AllocsPer = float64(mallocs) / float64(r.Calls)
	}
	r.summarize(all)
	r.ClientCPU, r.ServerCPU = cliCPU.Seconds()/wall.Seconds(), -1
	if srvOK {
		r.ServerCPU = srvCPU.Seconds() / wall.Seconds()
	}
	return r, nil
}

// selfCPU is the user+system CPU time of this process so far.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// procCPU is the user+system CPU time of process pid from
// /proc/PID/stat (in clock ticks of 10 ms), or -1.
func procCPU(pid int) time.Duration {
	if pid <= 0 {
		return -1
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return -1
	}
	// The command name (field 2) may hold spaces; count from its ')'.
	i := strings.LastIndexByte(string(b), ')')
	if i < 0 {
		return -1
	}
	f := strings.Fields(string(b[i+1:]))
	if len(f) < 13 {
		return -1
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return -1
	}
	const tick = 10 * time.Millisecond // USER_HZ is 100 on Linux
	return time.Duration(ut+st) * tick
}
