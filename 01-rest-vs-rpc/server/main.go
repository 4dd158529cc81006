// The `server` program offers the one calculator on three wires at
// once: REST on :8000, `net/rpc` with gob on :8001 and with JSON-RPC
// 1.0 on :8002. Same arithmetic, three ways to ask for it.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

func main() {
	// Each style gets an address flag; an empty one turns it off.
	addrs := map[restrpc.Style]*string{}
	for _, s := range restrpc.Styles {
		addrs[s] = flag.String(string(s), s.DefaultAddr(),
			fmt.Sprintf("address for %s (%s); empty to disable", s, s.Wire()))
	}
	flag.Parse()

	// Ctrl-C or SIGTERM cancels `ctx`; `run` then closes the servers.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, addrs); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addrs map[restrpc.Style]*string) error {
	var servers []*restrpc.Server
	// Closing in reverse order also cleans up after a failed `Listen`.
	defer func() {
		for i := len(servers) - 1; i >= 0; i-- {
			servers[i].Close()
		}
	}()
	for _, style := range restrpc.Styles {
		if *addrs[style] == "" {
			continue
		}
		srv, err := restrpc.Listen(style, *addrs[style])
		if err != nil {
			return err
		}
		servers = append(servers, srv)
	}
	if len(servers) == 0 {
		return errors.New("every style is disabled; nothing to serve")
	}
	// Announce only once all of them listen, so a script that waits for
	// these lines can call any style.
	for _, srv := range servers {
		fmt.Printf("%-7s listening on %s  (%s)\n", srv.Style(), srv.Addr(), srv.Style().Wire())
	}
	fmt.Println("press Ctrl-C to stop")

	<-ctx.Done()
	fmt.Println("shutting down")
	return nil
}
