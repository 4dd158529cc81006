// Command server runs lesson 03's JSON-RPC 2.0 server on one port, with
// the article's calculator in both styles and a Zabbix-like API:
//
//	POST /                  jsonrpclib style (RegisterFunction)
//	POST /jsonrpc           python-jsonrpc style (a handler type)
//	POST /api_jsonrpc.php   Zabbix style (user.login, then auth tokens)
//
// The Zabbix password comes from -zabbix-password or ZABBIX_PASSWORD;
// without one, every login is refused.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/zabbix"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "address to listen on")
	user := flag.String("zabbix-user", "Admin", "user name for the Zabbix-style API")
	pass := flag.String("zabbix-password", os.Getenv("ZABBIX_PASSWORD"),
		"password for the Zabbix-style API (default $ZABBIX_PASSWORD)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *user, *pass); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run serves the three endpoints on addr until ctx ends.
func run(ctx context.Context, addr, user, pass string) error {
	// The jsonrpclib style, plus log, a method worth calling as a
	// notification: its only effect is the line it prints here.
	functions := jsonrpc.NewFunctionServer()
	err := functions.RegisterFunction("log", func(msg string) {
		fmt.Printf("log: %s\n", msg)
	}, "message")
	if err != nil {
		return err
	}

	// One mux, three endpoints. The pattern /{$} matches only / itself.
	mux := http.NewServeMux()
	mux.Handle("/{$}", functions)
	mux.Handle("/jsonrpc", jsonrpc.NewHandlerServer())
	mux.Handle(zabbix.Path, zabbix.NewService(user, pass).Server())
	if pass == "" {
		fmt.Println("note: no ZABBIX_PASSWORD set, so user.login always fails")
	}

	srv := &jsonrpc.HTTPServer{Addr: addr, Handler: mux}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	url := "http://" + ln.Addr().String()
	fmt.Printf("JSON-RPC 2.0 on %s\n", url)
	fmt.Printf("  POST %s/                 jsonrpclib style: add subtract multiply divide log\n", url)
	fmt.Printf("  POST %s/jsonrpc          python-jsonrpc style: add subtract multiply divide hello\n", url)
	fmt.Printf("  POST %s%s  zabbix style: user.login host.get hostgroup.get user.logout\n", url, zabbix.Path)
	return serveUntilDone(ctx, srv, ln)
}

// serveUntilDone serves until ctx ends (Ctrl-C), then shuts down: the
// calls in flight get five seconds to finish.
func serveUntilDone(ctx context.Context, srv *jsonrpc.HTTPServer, ln net.Listener) error {
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	return nil
}
