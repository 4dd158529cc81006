// Command zerorpc is the Go twin of Python's zerorpc command line:
//
//	zerorpc --server --bind tcp://127.0.0.1:1234 time
//	zerorpc --client --connect tcp://127.0.0.1:1234 strftime %Y/%m/%d
//	zerorpc tcp://127.0.0.1:1234 strftime %Y/%m/%d
//
// In client mode, arguments are sent as strings (or parsed as JSON with
// -j); the result is printed like Python's pprint (or as JSON with
// -pj); a stream prints one item a line; with no method, the server's
// methods are listed with the first line of their doc. A remote error
// goes to stderr and the exit code is 1. Options come first. Results,
// and only results, go to stdout; status lines such as connecting to
// "tcp://…" go to stderr, as in zerorpc-python's command line.
//
// In server mode, the module to serve is one of the services built in:
// time (strftime, time) or caculate (the article's service).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"
)

// An addrList collects a flag that may be given several times.
type addrList []string

func (l *addrList) String() string     { return strings.Join(*l, ",") }
func (l *addrList) Set(v string) error { *l = append(*l, v); return nil }

// A config is the command line, parsed. The field names follow
// Python's argparse destinations.
type config struct {
	server    bool
	connect   addrList
	bind      addrList
	timeout   int
	heartbeat int
	json      bool
	printJSON bool
	inspect   bool
	address   string
	command   string
	params    []string
}

// errUsage makes main print the usage and exit 2.
var errUsage = errors.New("usage")

func parse(args []string, stderr io.Writer) (*config, error) {
	var cfg config
	fs := flag.NewFlagSet("zerorpc", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: zerorpc [options] [address] [command] [params ...]")
		fmt.Fprintln(stderr, "Make a zerorpc call to a remote service, or serve one (--server).")
		fs.PrintDefaults()
	}
	var client bool
	fs.BoolVar(&client, "client", true, "remote procedure call mode (default)")
	fs.BoolVar(&cfg.server, "server", false, "serve a built-in module (time, caculate)")
	fs.Var(&cfg.connect, "connect", "address to connect to")
	fs.Var(&cfg.bind, "bind", "address to listen to")
	fs.IntVar(&cfg.timeout, "timeout", 30, "abort request after `seconds` (--client only)")
	fs.IntVar(&cfg.heartbeat, "heartbeat", 5, "heartbeat frequency in `seconds`; use the server's")
	for _, name := range []string{"j", "json"} {
		fs.BoolVar(&cfg.json, name, false, "arguments are JSON")
	}
	for _, name := range []string{"pj", "print-json"} {
		fs.BoolVar(&cfg.printJSON, name, false, "print the result as JSON")
	}
	for _, name := range []string{"?", "inspect"} {
		fs.BoolVar(&cfg.inspect, name, false, "show method signatures (or one method's doc)")
	}
	fs.Bool("active-hb", false, "accepted for compatibility: the Go client always heartbeats")
	if err := fs.Parse(args); err != nil {
		return nil, errUsage
	}
	// Like Python: with --connect or --bind, the first positional
	// argument is the command, not an address.
	rest := fs.Args()
	if len(cfg.connect) == 0 && len(cfg.bind) == 0 && len(rest) > 0 {
		cfg.address, rest = rest[0], rest[1:]
	}
	if len(rest) > 0 {
		cfg.command, cfg.params = rest[0], rest[1:]
	}
	if cfg.address == "" && len(cfg.connect) == 0 && len(cfg.bind) == 0 {
		fs.Usage()
		return nil, errUsage
	}
	if cfg.server && cfg.command == "" {
		fs.Usage()
		return nil, errUsage
	}
	return &cfg, nil
}

func main() {
	cfg, err := parse(os.Args[1:], os.Stderr)
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, cfg, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

// run serves (--server) or calls (--client, the default).
func run(ctx context.Context, cfg *config, stdout, stderr io.Writer) error {
	if cfg.server {
		return runServer(ctx, cfg, stderr)
	}
	return runClient(ctx, cfg, stdout, stderr)
}
