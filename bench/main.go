// Command bench is the course's comparison benchmark: the same call,
// add(2, 3) → 5, through every approach the lessons teach, with raw TCP
// and raw AMQP as floors and the article's Python beside them.
//
//	go run ./bench            # the real run: minutes
//	go run ./bench -short     # a few hundred calls per cell, to see it work
//
// It prints a Markdown table and writes it, an SVG chart and the raw
// JSON to -out (default bench/results/). See bench/README.md for what
// is measured and how.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

type options struct {
	short    bool
	reps     int
	duration time.Duration
	warmup   time.Duration
	out      string
	only     string
	noPin    bool
	sweep    time.Duration
	readme   bool
}

func main() {
	var o options
	serveName := flag.String("serve", "", "internal: run one server (used by the bench itself)")
	flag.BoolVar(&o.short, "short", false, "a few hundred calls per cell (~0.2 s), one repetition: proves it works")
	flag.IntVar(&o.reps, "reps", 0, "repetitions per cell (default 3; -short: 1)")
	flag.DurationVar(&o.duration, "duration", 0, "measured time per repetition (default 3s; -short: 200ms)")
	flag.DurationVar(&o.warmup, "warmup", 0, "warm-up per cell (default 1s; -short: 100ms)")
	flag.StringVar(&o.out, "out", "", "directory for results.md, results.json, results.svg (default bench/results)")
	flag.StringVar(&o.only, "only", "", "comma-separated system names to run (default all)")
	flag.DurationVar(&o.sweep, "sweep", 0, "time per payload sweep cell (default 1s; -short: 50ms; negative: no sweep)")
	flag.BoolVar(&o.noPin, "nopin", false, "do not pin client and servers to CPUs")
	flag.BoolVar(&o.readme, "readme", false, "measure nothing: quote the run in -out's results.json in the READMEs beside it")
	flag.Parse()

	if *serveName != "" {
		if err := serve(*serveName); err != nil {
			fmt.Fprintln(os.Stderr, "serve:", err)
			os.Exit(1)
		}
		return
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// defaults fills in the timings.
func (o *options) defaults() {
	if o.reps == 0 {
		o.reps = 3
		if o.short {
			o.reps = 1
		}
	}
	if o.duration == 0 {
		o.duration = 3 * time.Second
		if o.short {
			o.duration = 200 * time.Millisecond
		}
	}
	if o.warmup == 0 {
		o.warmup = time.Second
		if o.short {
			o.warmup = 100 * time.Millisecond
		}
	}
	if o.sweep == 0 {
		o.sweep = time.Second
		if o.short {
			o.sweep = 50 * time.Millisecond
		}
	}
	if o.out == "" {
		o.out = defaultOut()
	}
}

// defaultOut is bench/results under the module root when run from
// there (go run ./bench), else results/ here.
func defaultOut() string {
	if st, err := os.Stat("bench"); err == nil && st.IsDir() {
		return "bench/results"
	}
	return "results"
}

func run(ctx context.Context, o options) error {
	o.defaults()
	if o.readme {
		return writeReadmes(o.out)
	}
	pl := placement{How: "none (-nopin)"}
	if !o.noPin {
		var err error
		if pl, err = pinSelf(clientCPU, true); err != nil {
			return err
		}
	}
	pl.describe()

	peers, err := os.MkdirTemp("", "rpcbench-peers-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(peers)
	if err := writePeers(peers); err != nil {
		return err
	}

	systems, sweep := allSystems(), allSweepSystems()
	if o.only != "" {
		want := map[string]bool{}
		for _, n := range strings.Split(o.only, ",") {
			want[strings.TrimSpace(n)] = true
		}
		var keep []*system
		for _, s := range systems {
			if want[s.Name] {
				keep = append(keep, s)
			}
		}
		systems = keep
		// "sweep" picks the whole sweep; a row's name picks its
		// sweep row too.
		var keepSweep []*sweepSystem
		for _, s := range sweep {
			if want["sweep"] || want[s.Name] {
				keepSweep = append(keepSweep, s)
			}
		}
		sweep = keepSweep
	}
	if o.sweep < 0 {
		sweep = nil
	}

	r := &runner{
		pl:    pl,
		peers: peers,
		set: settings{
			Warmup: o.warmup, Duration: o.duration, Reps: o.reps,
			Callers: []int{1, 8, 64}, Short: o.short, SweepDuration: o.sweep,
		},
		wireCalls: 100,
		progress:  newProgress(os.Stderr),
	}
	if o.short {
		r.wireCalls = 20
	}
	rep, err := r.runAll(ctx, systems, sweep)
	if err != nil {
		return err
	}
	return writeReport(rep, o.out, os.Stdout)
}

// describe fills in the placement summary for the report.
func (pl *placement) describe() {
	if pl.Pinned {
		pl.Summary = fmt.Sprintf("client (this process and Python clients) pinned to CPU %d, "+
			"servers (Go and Python) pinned to CPU %d, with %s; RabbitMQ in its container, not pinned",
			clientCPU, serverCPU, pl.How)
	} else {
		pl.Summary = "not pinned: " + pl.How + "; RabbitMQ in its container"
	}
}
