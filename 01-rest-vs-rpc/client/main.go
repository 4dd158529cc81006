// Command client makes one calculator call in the style you pick, and
// with -dump prints the bytes that call put on the wire and got back,
// as recorded on the client's socket.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

type config struct {
	style   restrpc.Style
	addr    string
	dump    bool
	timeout time.Duration
	op      string
	x, y    int
}

func main() {
	style := flag.String("style", "rest", "wire to use: rest, gob or jsonrpc")
	addr := flag.String("addr", "", "server address (default: the style's port on 127.0.0.1)")
	dump := flag.Bool("dump", false, "print the bytes sent and received")
	timeout := flag.Duration("timeout", 5*time.Second, "give up on the call after this long")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: client [flags] add|subtract|multiply|divide X Y")
		flag.PrintDefaults()
	}
	flag.Parse()

	cfg, err := parse(*style, *addr, flag.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		flag.Usage()
		os.Exit(2)
	}
	cfg.dump, cfg.timeout = *dump, *timeout

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

// parse checks the command line: a style, an operation, two integers.
func parse(style, addr string, args []string) (config, error) {
	var cfg config
	var err error
	if cfg.style, err = restrpc.ParseStyle(style); err != nil {
		return cfg, err
	}
	cfg.addr = addr
	if cfg.addr == "" {
		cfg.addr = cfg.style.DefaultAddr()
	}
	if len(args) != 3 {
		return cfg, fmt.Errorf("want an operation and two integers, got %q", args)
	}
	cfg.op = args[0]
	if cfg.x, err = strconv.Atoi(args[1]); err != nil {
		return cfg, fmt.Errorf("x: %w", err)
	}
	if cfg.y, err = strconv.Atoi(args[2]); err != nil {
		return cfg, fmt.Errorf("y: %w", err)
	}
	return cfg, nil
}

func run(ctx context.Context, cfg config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	// A Tap on the dialer sees every byte of the client's socket.
	tap := &restrpc.Tap{}
	d := restrpc.Dialer{}
	if cfg.dump {
		d.Tap = tap
	}
	c, err := d.Dial(ctx, cfg.style, cfg.addr)
	if err != nil {
		return err
	}
	defer c.Close()

	// Here the two orientations show. REST creates a resource (a
	// noun) and gets its URI back; RPC calls a method (a verb) by its
	// name on the server. Neither checks op: the server does.
	var line string
	switch c := c.(type) {
	case *restrpc.RESTClient:
		var calc restrpc.Calculation
		calc, err = c.Create(ctx, cfg.op, cfg.x, cfg.y)
		line = fmt.Sprintf("created /calculations/%d: %s(%d, %d) = %d",
			calc.ID, cfg.op, cfg.x, cfg.y, calc.Result)
	case *restrpc.RPCClient:
		var result int
		method := methodName(cfg.op)
		result, err = c.Call(ctx, method, cfg.x, cfg.y)
		line = fmt.Sprintf("%s.%s(%d, %d) = %d",
			restrpc.ServiceName, method, cfg.x, cfg.y, result)
	}
	if cfg.dump {
		tap.Take().WriteDump(os.Stdout)
	}
	if err != nil {
		return fmt.Errorf("%s(%d, %d): %w", cfg.op, cfg.x, cfg.y, err)
	}
	fmt.Printf("%s: %s\n", cfg.style, line)
	return nil
}

// methodName turns "add" into "Add": net/rpc only serves exported
// methods, so their names start with a capital letter.
func methodName(op string) string {
	if op == "" {
		return op
	}
	return strings.ToUpper(op[:1]) + op[1:]
}
