// Running every system: server up, cells, bytes pass, server down.

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

type runner struct {
	pl        placement
	peers     string
	set       settings
	wireCalls int
	progress  *progress

	brokerURL  string // AMQP URL of the bench's vhost, "" without
	brokerWhy  string // why there is no broker
	brokerHost string // host:port of the broker
}

// sysResult is one row.
type sysResult struct {
	Name     string       `json:"name"`
	Lesson   string       `json:"lesson"`
	Desc     string       `json:"description"`
	Kind     kind         `json:"kind"`
	Client   string       `json:"client"` // "go" or "python"
	Server   string       `json:"server"`
	Broker   bool         `json:"broker"`
	Absent   string       `json:"absent,omitempty"`
	Error    string       `json:"error,omitempty"`
	Cells    []cellResult `json:"cells,omitempty"`
	Wire     *wireResult  `json:"wire,omitempty"`
	WireNote string       `json:"wire_error,omitempty"`
}

// wireResult is the bytes pass: bytes per call on the client's
// socket (to the server, or to the broker), and for broker systems on
// the server's socket to the broker too.
type wireResult struct {
	Calls      int     `json:"calls"`
	ClientSent float64 `json:"client_sent_per_call"`
	ClientRecv float64 `json:"client_received_per_call"`
	ServerSent float64 `json:"server_sent_per_call,omitempty"`
	ServerRecv float64 `json:"server_received_per_call,omitempty"`
	// Conns is how many connections the client opened for them.
	Conns int64 `json:"client_connections"`
}

// report is everything the bench writes.
type report struct {
	Date      string    `json:"date"`
	Go        string    `json:"go"`
	RabbitMQ  string    `json:"rabbitmq"`
	CPU       string    `json:"cpu"`
	Placement placement `json:"placement"`
	// Load averages (1, 5, 15 min) before and after: others' work on
	// this machine shows here.
	LoadBefore string `json:"loadavg_before"`
	LoadAfter  string `json:"loadavg_after"`
	// Stolen is the share of the machine's CPU time that the hypervisor
	// gave to other guests during the run (steal in /proc/stat), in
	// percent; -1 when unknown. On a shared virtual machine it is the
	// best sign that numbers are low and spread for reasons outside the
	// run.
	Stolen   float64       `json:"cpu_stolen_percent"`
	Settings settings      `json:"settings"`
	Results  []sysResult   `json:"results"`
	Expected []expectation `json:"expected"`
	Sweep    []sweepResult `json:"sweep,omitempty"`
	// Duration is how long the whole run took.
	Duration time.Duration `json:"duration_ns"`
}

func (r *runner) runAll(ctx context.Context, systems []*system, sweep []*sweepSystem) (*report, error) {
	start := time.Now()
	rep := &report{
		Date:       time.Now().UTC().Format(time.RFC3339),
		Go:         runtime.Version(),
		CPU:        cpuModel(),
		Placement:  r.pl,
		Settings:   r.set,
		LoadBefore: loadAvg(),
		Stolen:     -1,
	}
	total0, steal0, cpuOK := cpuTimes()

	// Which Python peers can run.
	pyWhy := map[string]string{}
	for _, s := range systems {
		if len(s.PyModules) > 0 {
			key := strings.Join(s.PyModules, ",")
			if _, ok := pyWhy[key]; !ok {
				pyWhy[key] = pyImportable(s.PyModules)
			}
			if why := pyWhy[key]; why != "" && s.Absent == "" {
				s.Absent = "absent: " + strings.Join(s.PyModules, ", ") + " " + why
			}
		}
		if len(s.PyModules) > 0 && s.PyServer == nil && s.Absent == "" {
			s.Absent = "absent: no runner for this peer"
		}
	}

	// A broker, if any row needs one.
	needBroker := false
	for _, s := range systems {
		needBroker = needBroker || (s.Broker && s.Absent == "")
	}
	for _, s := range sweep {
		needBroker = needBroker || s.Broker
	}
	if needBroker {
		r.progress.line("broker: AMQP_URL or a RabbitMQ container …")
		closeBroker, version := r.openBroker(ctx)
		defer closeBroker()
		rep.RabbitMQ = version
	}

	for i, s := range systems {
		res := sysResult{Name: s.Name, Lesson: s.Lesson, Desc: s.Desc, Kind: s.Kind,
			Client: "go", Server: "go", Broker: s.Broker, Absent: s.Absent}
		if s.PyClient != nil {
			res.Client = "python"
		}
		if s.PyServer != nil || (s.PyClient == nil && s.Dial == nil) {
			res.Server = "python"
		}
		if res.Absent == "" && s.Broker && r.brokerURL == "" {
			res.Absent = "no broker: " + r.brokerWhy
		}
		if res.Absent == "" {
			r.runSystem(ctx, fmt.Sprintf("[%d/%d] %s", i+1, len(systems), s.Name), s, &res)
		}
		rep.Results = append(rep.Results, res)
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
	}
	rep.Sweep = r.runSweep(ctx, sweep, r.set.SweepDuration)
	if ctx.Err() != nil {
		return nil, ctx.Err()
	}
	r.progress.done()
	rep.LoadAfter = loadAvg()
	if total1, steal1, ok := cpuTimes(); cpuOK && ok && total1 > total0 {
		rep.Stolen = 100 * float64(steal1-steal0) / float64(total1-total0)
	}
	rep.Duration = time.Since(start)
	rep.Expected = checkExpectations(rep.Results)
	return rep, nil
}

// openBroker finds or starts RabbitMQ and makes a vhost for the run.
func (r *runner) openBroker(ctx context.Context) (func(), string) {
	octx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	defer cancel()
	b, err := broker.Open(octx)
	if err != nil {
		r.brokerWhy = err.Error() + " (" + broker.HowTo + ")"
		return func() {}, ""
	}
	closeFn := func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		b.Close(cctx)
	}
	vhost, vurl, err := b.CreateVhost(octx, "bench")
	if err != nil {
		// No management API: use the URL's own vhost.
		r.brokerURL = b.URL()
	} else {
		r.brokerURL = vurl
		inner := closeFn
		closeFn = func() {
			cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			b.DeleteVhost(cctx, vhost)
			inner()
		}
	}
	u, err := url.Parse(r.brokerURL)
	if err != nil {
		r.brokerURL, r.brokerWhy = "", "bad broker URL: "+err.Error()
		return closeFn, b.Version()
	}
	r.brokerHost = u.Host
	if u.Port() == "" {
		r.brokerHost = net.JoinHostPort(u.Hostname(), "5672")
	}
	return closeFn, b.Version()
}

// viaProxy rewrites an AMQP URL to reach the broker through addr.
func viaProxy(amqpURL, addr string) string {
	u, err := url.Parse(amqpURL)
	if err != nil {
		return amqpURL
	}
	u.Host = addr
	return u.String()
}

// runSystem measures one system: the cells, then the bytes pass.
func (r *runner) runSystem(ctx context.Context, label string, s *system, res *sysResult) {
	r.progress.line(label + ": starting server")
	srv, err := startServer(ctx, r, s, r.brokerURL)
	if err != nil {
		res.Error = err.Error()
		return
	}
	defer srv.stop()

	e := &env{amqpURL: r.brokerURL, drainURL: r.brokerURL, pl: r.pl}
	addr := srv.addr
	if s.PyClient != nil && s.Broker {
		addr = r.brokerURL
	}
	var c Client
	if s.PyClient == nil {
		if c, err = s.Dial(ctx, e, addr); err != nil {
			res.Error = "dial: " + err.Error()
			return
		}
	}
	if c == nil {
		r.progress.line(fmt.Sprintf("%s: %v caller(s), %d × %s, Python client", label, r.set.Callers, r.set.Reps, r.set.Duration))
		if res.Cells, err = runPyCells(ctx, r, s, addr, r.set); err != nil {
			res.Error = err.Error()
		}
	}
	for _, n := range r.set.Callers {
		if c == nil {
			break
		}
		r.progress.line(fmt.Sprintf("%s: %d caller(s), %d × %s", label, n, r.set.Reps, r.set.Duration))
		srvPid := 0
		if !s.Broker || s.Kind == kindCall {
			srvPid = srv.pid()
		}
		cell, err := runCell(ctx, c, n, r.set, srvPid)
		if err != nil {
			res.Error = fmt.Sprintf("%d callers: %v", n, err)
			break
		}
		res.Cells = append(res.Cells, cell)
	}
	if c != nil {
		c.Close()
	}
	if ctx.Err() != nil {
		return
	}

	r.progress.line(label + ": bytes on the wire")
	w, err := r.wirePass(ctx, s, srv)
	if err != nil {
		res.WireNote = err.Error()
	}
	res.Wire = w
}

// wirePass counts bytes per call through the counting proxy.
func (r *runner) wirePass(ctx context.Context, s *system, srv *child) (*wireResult, error) {
	n := r.wireCalls
	w := &wireResult{Calls: n}
	if !s.Broker {
		p, err := newCountingProxy(srv.addr)
		if err != nil {
			return nil, err
		}
		defer p.Close()
		if s.PyClient != nil {
			up, down, err := r.pyWire(ctx, s, p.Addr(), p, n)
			if err != nil {
				return nil, err
			}
			w.ClientSent, w.ClientRecv, w.Conns = up, down, p.Conns()
			return w, nil
		}
		c, err := s.Dial(ctx, &env{pl: r.pl}, p.Addr())
		if err != nil {
			return nil, err
		}
		defer c.Close()
		up, down, err := countCalls(ctx, c, p, n)
		w.ClientSent, w.ClientRecv, w.Conns = up, down, p.Conns()
		return w, err
	}

	// Broker systems: a fresh server whose broker connection goes
	// through one proxy, and the client through another.
	ps, err := newCountingProxy(r.brokerHost)
	if err != nil {
		return nil, err
	}
	defer ps.Close()
	pc, err := newCountingProxy(r.brokerHost)
	if err != nil {
		return nil, err
	}
	defer pc.Close()
	srv2, err := startServer(ctx, r, s, viaProxy(r.brokerURL, ps.Addr()))
	if err != nil {
		return nil, err
	}
	defer srv2.stop()
	clientURL := viaProxy(r.brokerURL, pc.Addr())
	if s.PyClient != nil {
		up, down, err := r.pyWire(ctx, s, clientURL, pc, n, ps)
		if err != nil {
			return nil, err
		}
		sUp, sDown := ps.Counts()
		w.ClientSent, w.ClientRecv, w.Conns = up, down, pc.Conns()
		w.ServerSent, w.ServerRecv = float64(sUp)/float64(n), float64(sDown)/float64(n)
		return w, nil
	}
	c, err := s.Dial(ctx, &env{amqpURL: clientURL, drainURL: r.brokerURL, pl: r.pl}, srv2.addr)
	if err != nil {
		return nil, err
	}
	defer c.Close()
	up, down, err := countCalls(ctx, c, pc, n, ps)
	if err != nil {
		return nil, err
	}
	w.ClientSent, w.ClientRecv, w.Conns = up, down, pc.Conns()
	sUp, sDown := ps.Counts()
	w.ServerSent, w.ServerRecv = float64(sUp)/float64(n), float64(sDown)/float64(n)
	return w, nil
}

// countCalls makes a few calls to warm up, zeroes the counters, makes
// n sequential calls (then waits for a one-way system's server to
// consume them, and a moment for acks) and returns bytes per call.
func countCalls(ctx context.Context, c Client, p *countingProxy, n int, others ...*countingProxy) (up, down float64, err error) {
	for i := 0; i < 5; i++ {
		if _, err := c.Add(ctx, 2, 3); err != nil {
			return 0, 0, err
		}
	}
	if err := drain(ctx, c); err != nil {
		return 0, 0, err
	}
	time.Sleep(50 * time.Millisecond)
	p.Reset()
	for _, o := range others {
		o.Reset()
	}
	for i := 0; i < n; i++ {
		if _, err := c.Add(ctx, 2, 3); err != nil {
			return 0, 0, err
		}
	}
	if err := drain(ctx, c); err != nil {
		return 0, 0, err
	}
	time.Sleep(50 * time.Millisecond)
	u, d := p.Counts()
	return float64(u) / float64(n), float64(d) / float64(n), nil
}

// pyWire runs the Python client in its bytes mode: it warms up and
// says WARM; the counters are zeroed; it makes n calls and prints its
// result; the counters are read. It returns the bytes per call of p
// (the client's proxy); others are zeroed at the same moment.
func (r *runner) pyWire(ctx context.Context, s *system, addr string, p *countingProxy, n int, others ...*countingProxy) (up, down float64, err error) {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	args := []string{filepath.Join(r.peers, s.PyClient[0]), s.PyClient[1], addr, "1", "0", "0", strconv.Itoa(n)}
	args = append(args, s.PyClient[2:]...)
	cmd := exec.CommandContext(ctx, python, args...)
	errb := &tailBuffer{max: 4096}
	cmd.Stderr = errb
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return 0, 0, err
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return 0, 0, err
	}
	if err := cmd.Start(); err != nil {
		return 0, 0, err
	}
	defer cmd.Wait()
	defer stdin.Close()
	sc := bufio.NewScanner(stdout)
	next := func() (string, error) {
		if sc.Scan() {
			return sc.Text(), nil
		}
		return "", fmt.Errorf("python client ended early: %s", lastLine(errb.String()))
	}
	if line, err := next(); err != nil || line != "WARM" {
		return 0, 0, fmt.Errorf("python client: want WARM, got %q (%v)", line, err)
	}
	time.Sleep(50 * time.Millisecond)
	p.Reset()
	for _, o := range others {
		o.Reset()
	}
	io.WriteString(stdin, "go\n")
	if _, err := next(); err != nil {
		return 0, 0, err
	}
	time.Sleep(50 * time.Millisecond)
	u, d := p.Counts()
	return float64(u) / float64(n), float64(d) / float64(n), nil
}

// loadAvg is the first three fields of /proc/loadavg.
func loadAvg() string {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	f := strings.Fields(string(b))
	if len(f) < 3 {
		return "unknown"
	}
	return strings.Join(f[:3], " ")
}

// cpuTimes reads the first line of /proc/stat: the CPU time of all
// CPUs so far (user, nice, system, idle, iowait, irq, softirq, steal),
// and the steal part of it, in clock ticks.
func cpuTimes() (total, steal uint64, ok bool) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0, false
	}
	line, _, _ := strings.Cut(string(b), "\n")
	f := strings.Fields(line)
	if len(f) < 9 || f[0] != "cpu" {
		return 0, 0, false
	}
	for i, s := range f[1:9] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return 0, 0, false
		}
		total += n
		if i == 7 {
			steal = n
		}
	}
	return total, steal, true
}

// cpuModel reads the CPU's name from /proc/cpuinfo.
func cpuModel() string {
	b, err := os.ReadFile("/proc/cpuinfo")
	if err != nil {
		return "unknown"
	}
	model, n := "unknown", 0
	for _, line := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(line, ":")
		switch {
		case !ok:
		case strings.TrimSpace(k) == "processor":
			n++
		case strings.TrimSpace(k) == "model name" && model == "unknown":
			model = strings.TrimSpace(v)
		}
	}
	return fmt.Sprintf("%s (%d CPUs)", model, n)
}

// progress is the status line on stderr: rewritten in place on a
// terminal, one line per step otherwise.
type progress struct {
	w     io.Writer
	tty   bool
	start time.Time
}

func newProgress(f *os.File) *progress {
	st, err := f.Stat()
	tty := err == nil && st.Mode()&os.ModeCharDevice != 0
	return &progress{w: f, tty: tty, start: time.Now()}
}

func (p *progress) line(s string) {
	el := time.Since(p.start).Round(time.Second)
	if p.tty {
		fmt.Fprintf(p.w, "\r\033[K%6s %s", el, s)
	} else {
		fmt.Fprintf(p.w, "%6s %s\n", el, s)
	}
}

func (p *progress) done() {
	if p.tty {
		fmt.Fprintln(p.w)
	}
}
