// The one interface every system is driven through.
//
// Like gorpcbench, the bench has one [Client] interface and one small
// adapter per system, so every system does exactly the same work: the
// course's calculator call add(2, 3), which must return 5.

package main

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Client is one system's caller. It must be safe for concurrent use:
// the 8- and 64-caller cells share one [Client].
type Client interface {
	Add(ctx context.Context, x, y int) (int, error)
	Close() error
}

// A drainer is a client whose calls return before the work is done
// (casts, notifications). [Drain] waits until the server has consumed
// everything sent, so a cell's throughput counts work done, not just
// messages handed to the broker.
type drainer interface {
	Drain(ctx context.Context) error
}

// kind says what a call of the system means.
type kind string

const (
	kindCall   kind = "call"   // request and reply
	kindCast   kind = "cast"   // one-way; measured as consumed/s
	kindNotify kind = "notify" // one-way notification; consumed/s
)

// env is what adapters need from the run: the broker URL and the
// run's placement.
type env struct {
	amqpURL  string // AMQP URL the client uses (maybe through the proxy)
	drainURL string // AMQP URL of the broker itself, for [Drain]
	pl       placement
}

// system describes one row of the table.
type system struct {
	Name   string // short id, e.g. "xmlrpc-concurrent"
	Lesson string // "01"… or "baseline" or "python"
	Desc   string // what it is, for the table
	Kind   kind
	Broker bool // needs RabbitMQ

	// The server: a Go server run by this program with -serve
	// ServeName, or a Python script (PyServer, args after it).
	ServeName string
	PyServer  []string

	// The client: a Go adapter, or a Python script that does the
	// calls and reports (PyClient).
	Dial     func(ctx context.Context, e *env, addr string) (Client, error)
	PyClient []string

	// Drain names the queue casts or notifications wait in.
	Drain string

	// PyModules must import under /usr/bin/python3 for the row to
	// run; Absent forces the row to be reported absent.
	PyModules []string
	Absent    string
}

// checkSum is the one check every adapter makes.
func checkSum(got int, err error) (int, error) {
	if err != nil {
		return 0, err
	}
	if got != 5 {
		return got, fmt.Errorf("add(2, 3) = %d, want 5", got)
	}
	return got, nil
}

// newHTTPClient is the one HTTP client setup every HTTP system gets,
// so servers and codecs are compared, not connection pools: keep-alive
// on, enough idle connections for 64 callers.
func newHTTPClient() *http.Client {
	tr := &http.Transport{
		MaxIdleConns:        256,
		MaxIdleConnsPerHost: 256,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
	}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}
