// The payload sweep: the cost of a call as the work it carries grows.
//
// The add(2, 3) table measures what a call costs when it carries almost
// nothing. Here every system that can carry a payload echoes one: a
// list of numbers, or a string, of 16 B, 1 KB, 64 KB and 1 MB. "Size"
// is the payload's raw size: a string of that many bytes, or that many
// bytes of 8-byte integers (2 numbers for 16 B, 131072 for 1 MB), each
// below 2^31 so that XML-RPC's 32-bit int carries it. The bytes on the
// wire then show what each encoding makes of it, and the calls/s what
// it costs to make and read.
//
// The sweep is closed-loop with one caller: the cost of one call as
// its payload grows, not the concurrency the first table measures.

package main

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// sweepSizes are the payload sizes, in bytes.
var sweepSizes = []int{16, 1 << 10, 64 << 10, 1 << 20}

// payloadKinds are the two shapes of payload.
var payloadKinds = []string{"numbers", "string"}

// payload is one echo's argument: Numbers for "numbers", Text for
// "string".
type payload struct {
	Numbers []int64
	Text    string
}

// makePayload builds the payload of kind and size; the numbers spread
// over 1 to 10 digits, as real data does.
func makePayload(kind string, size int) payload {
	if kind == "string" {
		b := make([]byte, size)
		for i := range b {
			b[i] = 'a' + byte(i%26)
		}
		return payload{Text: string(b)}
	}
	n := max(size/8, 1)
	xs := make([]int64, n)
	for i := range xs {
		xs[i] = int64(uint32(i)*2654435761) >> (1 + i%31)
	}
	return payload{Numbers: xs}
}

// same reports whether the echo came back intact.
func (p payload) same(q payload) bool {
	return p.Text == q.Text && slices.Equal(p.Numbers, q.Numbers)
}

// An echoClient sends a payload and returns the payload it got back.
type echoClient interface {
	Echo(ctx context.Context, p payload) (payload, error)
	Close() error
}

// sweepSystem is one row of the sweep.
type sweepSystem struct {
	Name      string
	Desc      string
	ServeName string // the -serve name of its server
	Broker    bool
	Dial      func(ctx context.Context, e *env, addr string) (echoClient, error)
}

// sweepResult is one row of the sweep's results.
type sweepResult struct {
	Name   string      `json:"name"`
	Desc   string      `json:"description"`
	Absent string      `json:"absent,omitempty"`
	Error  string      `json:"error,omitempty"`
	Cells  []sweepCell `json:"cells,omitempty"`
}

// sweepCell is one payload through one system.
type sweepCell struct {
	Kind        string  `json:"kind"`
	Size        int     `json:"size"`
	Calls       int     `json:"calls"`
	CallsPerSec float64 `json:"calls_per_sec"`
	ClientSent  float64 `json:"client_sent_per_call"`
	ClientRecv  float64 `json:"client_received_per_call"`
	// WirePerPayload is the bytes on the wire, both ways, per byte
	// of payload carried (twice the size: there and back).
	WirePerPayload float64 `json:"wire_per_payload"`
	Error          string  `json:"error,omitempty"`
}

// echoLoop makes calls one after another for at least d and at least
// one call, and returns the calls and the time they took.
func echoLoop(ctx context.Context, c echoClient, p payload, d time.Duration) (int, time.Duration, error) {
	start := time.Now()
	n := 0
	for n == 0 || time.Since(start) < d {
		got, err := c.Echo(ctx, p)
		if err != nil {
			return n, time.Since(start), err
		}
		if !got.same(p) {
			return n, time.Since(start), fmt.Errorf("echo of %d numbers, %d bytes of text came back changed (%d numbers, %d bytes)",
				len(p.Numbers), len(p.Text), len(got.Numbers), len(got.Text))
		}
		n++
	}
	return n, time.Since(start), nil
}

// wireCallsFor is how many calls the bytes pass makes for a size.
func wireCallsFor(size int) int {
	switch {
	case size >= 1<<20:
		return 2
	case size >= 64<<10:
		return 5
	}
	return 20
}

// runSweep measures every sweep system.
func (r *runner) runSweep(ctx context.Context, systems []*sweepSystem, d time.Duration) []sweepResult {
	var out []sweepResult
	for i, s := range systems {
		res := sweepResult{Name: s.Name, Desc: s.Desc}
		if s.Broker && r.brokerURL == "" {
			res.Absent = "no broker: " + r.brokerWhy
		} else {
			r.sweepOne(ctx, fmt.Sprintf("[sweep %d/%d] %s", i+1, len(systems), s.Name), s, d, &res)
		}
		out = append(out, res)
		if ctx.Err() != nil {
			break
		}
	}
	return out
}

// sweepOne runs one system through every kind and size: the
// throughput pass straight to the server, then the bytes pass through
// the counting proxy.
func (r *runner) sweepOne(ctx context.Context, label string, s *sweepSystem, d time.Duration, res *sweepResult) {
	r.progress.line(label + ": starting server")
	srv, err := startServer(ctx, r, &system{Name: s.Name, ServeName: s.ServeName, Broker: s.Broker}, r.brokerURL)
	if err != nil {
		res.Error = err.Error()
		return
	}
	defer srv.stop()
	c, err := s.Dial(ctx, &env{amqpURL: r.brokerURL, drainURL: r.brokerURL, pl: r.pl}, srv.addr)
	if err != nil {
		res.Error = "dial: " + err.Error()
		return
	}
	defer c.Close()

	target := srv.addr
	if s.Broker {
		target = r.brokerHost
	}
	p, err := newCountingProxy(target)
	if err != nil {
		res.Error = err.Error()
		return
	}
	defer p.Close()
	e := &env{amqpURL: viaProxy(r.brokerURL, p.Addr()), drainURL: r.brokerURL, pl: r.pl}
	counted, err := s.Dial(ctx, e, p.Addr())
	if err != nil {
		res.Error = "dial through the proxy: " + err.Error()
		return
	}
	defer counted.Close()

	for _, kind := range payloadKinds {
		for _, size := range sweepSizes {
			r.progress.line(fmt.Sprintf("%s: %s, %d B", label, kind, size))
			res.Cells = append(res.Cells, sweepCellOf(ctx, c, counted, p, kind, size, d))
			if ctx.Err() != nil {
				return
			}
		}
	}
}

// sweepCellOf measures one payload: a warm-up call, the timed calls,
// then the bytes of a few calls through the proxy.
func sweepCellOf(ctx context.Context, c, counted echoClient, p *countingProxy, kind string, size int, d time.Duration) sweepCell {
	cell := sweepCell{Kind: kind, Size: size}
	pl := makePayload(kind, size)
	cctx, cancel := context.WithTimeout(ctx, d+time.Minute)
	defer cancel()
	if _, _, err := echoLoop(cctx, c, pl, 0); err != nil {
		cell.Error = err.Error()
		return cell
	}
	n, el, err := echoLoop(cctx, c, pl, d)
	if err != nil {
		cell.Error = err.Error()
		return cell
	}
	cell.Calls, cell.CallsPerSec = n, float64(n)/el.Seconds()

	if _, _, err := echoLoop(cctx, counted, pl, 0); err != nil {
		cell.Error = "bytes pass: " + err.Error()
		return cell
	}
	time.Sleep(20 * time.Millisecond)
	p.Reset()
	calls := wireCallsFor(size)
	for range calls {
		if _, _, err := echoLoop(cctx, counted, pl, 0); err != nil {
			cell.Error = "bytes pass: " + err.Error()
			return cell
		}
	}
	time.Sleep(20 * time.Millisecond)
	up, down := p.Counts()
	cell.ClientSent, cell.ClientRecv = float64(up)/float64(calls), float64(down)/float64(calls)
	cell.WirePerPayload = (cell.ClientSent + cell.ClientRecv) / float64(2*size)
	return cell
}
