// Command client calls lesson 02's XML-RPC server. With no arguments
// it replays the article's session (add, multiply, subtract, divide)
// and shows a fault; with arguments it makes one call:
//
//	go run ./02-xmlrpc/client [-url http://127.0.0.1:8088] [-wire] [method [params…]]
//	go run ./02-xmlrpc/client -parallel 4 -sleep 300
//	go run ./02-xmlrpc/client -slow
//
// -slow plays a slow client: it opens a connection that sends nothing
// and, meanwhile, calls add(2, 3) on a connection of its own, to show
// what the slow client costs everyone else.
//
// Params that look like ints, doubles or booleans are sent as such;
// anything else is sent as a string.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/url"
	"os"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

type config struct {
	url      string
	wire     bool
	parallel int
	slow     bool
	sleepMS  int
	timeout  time.Duration
	args     []string
}

func main() {
	var cfg config
	flag.StringVar(&cfg.url, "url", envOr("XMLRPC_URL", "http://"+xmlrpc.DefaultAddr), "server endpoint (env XMLRPC_URL)")
	flag.BoolVar(&cfg.wire, "wire", false, "print the XML sent and received")
	flag.IntVar(&cfg.parallel, "parallel", 0, "make this many sleep calls at once and time them")
	flag.BoolVar(&cfg.slow, "slow", false, "open a silent connection, then time add(2, 3) behind it")
	flag.IntVar(&cfg.sleepMS, "sleep", 300, "milliseconds each -parallel call sleeps")
	flag.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout of each call")
	flag.Parse()
	cfg.args = flag.Args()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, cfg config) error {
	c, err := xmlrpc.NewClient(cfg.url)
	if err != nil {
		return err
	}
	c.Timeout = cfg.timeout
	if cfg.wire {
		c.WireLog = os.Stdout
	}
	switch {
	case cfg.slow:
		return slowClient(ctx, c, cfg.url)
	case cfg.parallel > 0:
		return parallel(ctx, c, cfg.parallel, cfg.sleepMS)
	case len(cfg.args) > 0:
		return one(ctx, c, cfg.args[0], cfg.args[1:])
	}
	return session(ctx, c)
}

// session is the article's interactive session, in Go.
func session(ctx context.Context, c *xmlrpc.Client) error {
	for _, m := range []string{"add", "multiply", "subtract", "divide"} {
		n, err := xmlrpc.CallAs[int](ctx, c, m, 2, 3)
		if err != nil {
			return err
		}
		fmt.Printf("%s(2, 3) = %d\n", m, n)
	}
	hello, err := xmlrpc.CallAs[string](ctx, c, "hello")
	if err != nil {
		return err
	}
	fmt.Printf("hello() = %q\n", hello)

	// A fault is an ordinary Go error with the protocol's fields.
	_, err = c.Call(ctx, "divide", 1, 0)
	var f *xmlrpc.Fault
	if !errors.As(err, &f) {
		return fmt.Errorf("divide(1, 0): want a fault, got %v", err)
	}
	fmt.Printf("divide(1, 0) -> fault %d: %s\n", f.Code, f.String)
	return nil
}

// one makes the call named on the command line and prints the result
// (or the fault) like Python's repr.
func one(ctx context.Context, c *xmlrpc.Client, method string, args []string) error {
	params := make([]any, len(args))
	for i, a := range args {
		params[i] = guess(a)
	}
	v, err := c.Call(ctx, method, params...)
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		fmt.Printf("fault %d: %s\n", f.Code, f.String)
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Println(xmlrpc.Repr(v))
	return nil
}

// parallel starts n sleep calls at once and reports the total time:
// about n×ms against -mode single, about ms against -mode concurrent.
func parallel(ctx context.Context, c *xmlrpc.Client, n, ms int) error {
	start := time.Now()
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { _, errs[i] = c.Call(ctx, "sleep", ms) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	took := time.Since(start)
	fmt.Printf("%d parallel sleep(%d) calls took %v (%.1f× one call)\n",
		n, ms, took.Round(10*time.Millisecond), float64(took)/float64(time.Duration(ms)*time.Millisecond))
	return nil
}

// slowClient connects to the server and sends nothing, as a slow or
// stalled client would, and calls add(2, 3) meanwhile. On a
// single-threaded server the call waits until the server gives up on
// the silent connection (its ReadHeaderTimeout); on a concurrent one
// it is answered at once.
func slowClient(ctx context.Context, c *xmlrpc.Client, endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil {
		return fmt.Errorf("parse -url: %w", err)
	}
	start := time.Now()
	var d net.Dialer
	silent, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		return fmt.Errorf("silent client: %w", err)
	}
	defer silent.Close()
	fmt.Println("silent client: connected, sends nothing")

	// The silent connection was accepted first, so on a single-threaded
	// server this call waits behind it.
	n, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3)
	if err != nil {
		return err
	}
	fmt.Printf("add(2, 3) = %d, answered after %.1fs\n", n, time.Since(start).Seconds())

	// Reading shows when the server closes the silent connection.
	_ = silent.SetReadDeadline(time.Now().Add(time.Minute))
	if _, err := io.Copy(io.Discard, silent); err != nil {
		return fmt.Errorf("silent client: %w", err)
	}
	fmt.Printf("silent client: cut off by the server after %.1fs\n", time.Since(start).Seconds())
	return nil
}

// guess reads a command-line param as the XML-RPC type it looks like.
func guess(s string) any {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	if f, err := strconv.ParseFloat(s, 64); err == nil {
		return f
	}
	if b, err := strconv.ParseBool(s); err == nil && (s == "true" || s == "false") {
		return b
	}
	return s
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
