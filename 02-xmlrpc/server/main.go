// Command server serves the article's calculator over XML-RPC, one
// request at a time (-mode single, like SimpleXMLRPCServer) or
// concurrently (-mode concurrent, like the ThreadingMixIn version).
//
//	go run ./02-xmlrpc/server [-addr 127.0.0.1:8088] [-mode single|concurrent]
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
	"unicode/utf8"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

func main() {
	addr := flag.String("addr", envOr("XMLRPC_ADDR", xmlrpc.DefaultAddr), "address to listen on (env XMLRPC_ADDR)")
	mode := flag.String("mode", "single", "single (one request at a time) or concurrent")
	maxBody := flag.Int64("max-body", xmlrpc.DefaultMaxBodyBytes, "largest request body accepted, in bytes")
	flag.Parse()

	// Ctrl-C or SIGTERM cancels ctx, which shuts the server down.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *mode, *maxBody); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, addr, modeFlag string, maxBody int64) error {
	mode, err := xmlrpc.ParseMode(modeFlag)
	if err != nil {
		return err
	}
	srv := xmlrpc.NewCalculatorServer()
	srv.Mode = mode
	srv.MaxBodyBytes = maxBody
	srv.OnCall = logCall
	// Clients cut off by a limit are logged to stderr, one line each.
	srv.ErrorLog = log.New(os.Stderr, "", 0)

	// Listening before printing means the line below is only shown
	// once clients can connect.
	ln, err := xmlrpc.Listen(addr)
	if err != nil {
		return err
	}
	fmt.Printf("Listening on %s (mode %s)\n", ln.Addr(), mode)
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()

	select {
	case err := <-served:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	// Let the calls in flight finish, for a few seconds at most.
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		_ = srv.Close()
	}
	if err := <-served; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve: %w", err)
	}
	fmt.Println("server stopped")
	return nil
}

// logCall prints one line per request, e.g. add(2, 3) -> 5, the
// way Python's server logs each request it serves. The params and
// the result are cut short: a client must not be able to fill the log
// with one large request.
func logCall(call *xmlrpc.Call, result any, f *xmlrpc.Fault) {
	what := "(undecodable request)"
	if call != nil {
		args := xmlrpc.Repr(call.Params)
		what = call.Method + "(" + clip(args[1:len(args)-1]) + ")"
	}
	if f != nil {
		fmt.Printf("%s -> fault %d: %s\n", what, f.Code, clip(f.String))
		return
	}
	fmt.Printf("%s -> %s\n", what, clip(xmlrpc.Repr(result)))
}

// clip shortens s to at most maxLogText bytes (and whole runes).
func clip(s string) string {
	const maxLogText = 200
	if len(s) <= maxLogText {
		return s
	}
	cut := maxLogText
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
