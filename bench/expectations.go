// What we expect of the Go implementations: the course's goals for
// speed, each a ratio of median throughputs taken in the same run.

package main

import "fmt"

// An expectation is one of the course's goals, "A ≥ k × B at N
// callers", and how this run fared against it.
type expectation struct {
	System  string  `json:"system"`
	Versus  string  `json:"versus"`
	Callers int     `json:"callers"`
	Want    float64 `json:"want_ratio"`
	Ratio   float64 `json:"ratio"`  // -1 when it cannot be computed
	Status  string  `json:"status"` // met, missed, n/a
	Detail  string  `json:"detail"`
}

// expectations lists the course's goals for speed. The Python comparisons for
// XML-RPC and JSON-RPC are about servers, so both sides use the Go
// client; zerorpc and oslo are compared as whole systems (Python client
// and server against Go client and server).
var expectations = []expectation{
	{System: "xmlrpc-concurrent", Versus: "http-json", Callers: 1, Want: 0.7},
	{System: "xmlrpc-concurrent", Versus: "http-json", Callers: 8, Want: 0.7},
	{System: "jsonrpc2", Versus: "http-json", Callers: 1, Want: 0.7},
	{System: "jsonrpc2", Versus: "http-json", Callers: 8, Want: 0.7},
	// The single-threaded server serves one request at a time, as
	// Python's does; it should not be slower than Python's.
	{System: "xmlrpc-single", Versus: "go-py-xmlrpc-single", Callers: 1, Want: 1},
	{System: "xmlrpc-single", Versus: "go-py-xmlrpc-single", Callers: 8, Want: 1},
	{System: "xmlrpc-single", Versus: "go-py-xmlrpc-single", Callers: 64, Want: 1},
	{System: "xmlrpc-concurrent", Versus: "go-py-xmlrpc-threading", Callers: 8, Want: 5},
	{System: "jsonrpc2", Versus: "go-py-jsonrpclib", Callers: 8, Want: 5},
	{System: "zerorpc", Versus: "py-zerorpc", Callers: 1, Want: 5},
	{System: "zerorpc", Versus: "py-zerorpc", Callers: 8, Want: 10},
	{System: "zerorpc", Versus: "netrpc-gob", Callers: 1, Want: 0.5},
	{System: "zerorpc", Versus: "netrpc-gob", Callers: 8, Want: 0.5},
	// The broker rows against the floors that carry their wire.
	{System: "oslo-call", Versus: "amqp-oslo-raw", Callers: 1, Want: 0.8},
	{System: "oslo-call", Versus: "amqp-oslo-raw", Callers: 8, Want: 0.8},
	{System: "oslo-call", Versus: "amqp-oslo-raw", Callers: 64, Want: 0.8},
	{System: "oslo-cast", Versus: "amqp-publish-confirm", Callers: 1, Want: 0.7},
	{System: "oslo-cast", Versus: "amqp-publish-confirm", Callers: 8, Want: 0.7},
	{System: "oslo-cast", Versus: "amqp-publish-confirm", Callers: 64, Want: 0.7},
	{System: "notify", Versus: "amqp-publish", Callers: 1, Want: 0.7},
	{System: "notify", Versus: "amqp-publish", Callers: 8, Want: 0.7},
	{System: "notify", Versus: "amqp-publish", Callers: 64, Want: 0.7},
	{System: "oslo-call", Versus: "py-oslo-call", Callers: 1, Want: 3},
	{System: "oslo-call", Versus: "py-oslo-call", Callers: 8, Want: 5},
}

// cellOf finds the median throughput of a system at callers, or
// says why there is none.
func cellOf(results []sysResult, name string, callers int) (float64, string) {
	for _, r := range results {
		if r.Name != name {
			continue
		}
		if r.Absent != "" {
			return 0, name + " " + r.Absent
		}
		for _, c := range r.Cells {
			if c.Callers == callers {
				return c.Median, ""
			}
		}
		if r.Error != "" {
			return 0, name + " failed: " + r.Error
		}
		return 0, name + " has no cell at this concurrency"
	}
	return 0, name + " not run"
}

func checkExpectations(results []sysResult) []expectation {
	var out []expectation
	for _, t := range expectations {
		a, whyA := cellOf(results, t.System, t.Callers)
		b, whyB := cellOf(results, t.Versus, t.Callers)
		t.Ratio = -1
		switch {
		case whyA != "":
			t.Status, t.Detail = "n/a", whyA
		case whyB != "":
			t.Status, t.Detail = "n/a", whyB
		case b == 0:
			t.Status, t.Detail = "n/a", t.Versus+" made no calls"
		default:
			t.Ratio = a / b
			t.Status = "missed"
			if t.Ratio >= t.Want {
				t.Status = "met"
			}
			t.Detail = fmt.Sprintf("%s calls/s vs %s calls/s", fmtRate(a), fmtRate(b))
		}
		out = append(out, t)
	}
	return out
}
