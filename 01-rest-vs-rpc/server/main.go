// Command server offers the one calculator on three wires at once:
// REST on 127.0.0.1:8000, net/rpc with gob on :8001 and with JSON-RPC
// 1.0 on :8002. Same arithmetic, three ways to ask for it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// shutdownGrace is how long Ctrl-C waits for calls in flight.
const shutdownGrace = 5 * time.Second

func main() {
	// Each style gets an address flag; an empty one turns it off.
	flags := map[restrpc.Style]*string{}
	for _, s := range restrpc.Styles {
		flags[s] = flag.String(string(s), s.DefaultAddr(),
			fmt.Sprintf("address for %s (%s); empty to disable", s, s.Wire()))
	}
	flag.Parse()
	addrs := map[restrpc.Style]string{}
	for s, addr := range flags {
		addrs[s] = *addr
	}

	// Ctrl-C or SIGTERM cancels ctx; run then shuts the servers down.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, addrs); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run listens on every enabled address, serves until ctx ends, and
// then shuts the servers down, letting calls in flight finish.
func run(ctx context.Context, addrs map[restrpc.Style]string) error {
	var servers []*restrpc.Server
	var listeners []net.Listener
	for _, style := range restrpc.Styles {
		if addrs[style] == "" {
			continue
		}
		ln, err := net.Listen("tcp", addrs[style])
		if err != nil {
			for _, l := range listeners {
				l.Close()
			}
			return fmt.Errorf("listen %s: %w", style, err)
		}
		servers = append(servers, &restrpc.Server{Style: style})
		listeners = append(listeners, ln)
	}
	if len(servers) == 0 {
		return errors.New("every style is disabled; nothing to serve")
	}

	served := make(chan error, len(servers))
	for i, srv := range servers {
		go func() { served <- srv.Serve(listeners[i]) }()
	}
	// Announce only once all of them listen, so a script that waits for
	// these lines can call any style.
	for i, srv := range servers {
		fmt.Printf("%-7s listening on %s  (%s)\n", srv.Style, listeners[i].Addr(), srv.Style.Wire())
	}
	fmt.Println("press Ctrl-C to stop")

	var err error
	select {
	case <-ctx.Done():
	case err = <-served: // a server stopped on its own: stop the others
	}
	fmt.Println("shutting down")
	shutdownCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
	defer cancel()
	for _, srv := range servers {
		err = errors.Join(err, srv.Shutdown(shutdownCtx))
	}
	return err
}
