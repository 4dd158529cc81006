// Command server is the article's zerorpc server: the caculate service
// on tcp://127.0.0.1:4242, the Go twin of
//
//	s = zerorpc.Server(caculate())
//	s.bind("tcp://0.0.0.0:4242")
//	s.run()
//
// It binds to 127.0.0.1 (not 0.0.0.0) unless told otherwise, and stops
// cleanly on Ctrl-C.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func main() {
	addr := flag.String("bind", envOr("ZERORPC_ADDR", zerorpc.DefaultAddr), "ZeroMQ endpoint to bind")
	heartbeat := flag.Duration("heartbeat", zerorpc.DefaultHeartbeat, "heartbeat interval (use the clients' one)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr, *heartbeat); err != nil {
		fmt.Fprintln(os.Stderr, "server:", err)
		os.Exit(1)
	}
}

// run serves until ctx is cancelled (Ctrl-C), then lets the calls in
// flight finish.
func run(ctx context.Context, addr string, heartbeat time.Duration) error {
	s, err := calc.NewServer()
	if err != nil {
		return err
	}
	s.Heartbeat = heartbeat
	ln, err := zerorpc.Listen(addr)
	if err != nil {
		return err
	}
	fmt.Printf("serving %s on tcp://%s\n", s.Name, ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Shutdown(shutdownCtx); err != nil {
		return err
	}
	<-errc // ErrServerClosed
	fmt.Println("server stopped")
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
