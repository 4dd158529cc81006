// The --server mode: serve one of the built-in modules until Ctrl-C.

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// runServer prints only status lines, so they go to stderr.
func runServer(ctx context.Context, cfg *config, stderr io.Writer) error {
	if len(cfg.bind) != 1 || len(cfg.connect) != 0 {
		return errors.New("zerorpc: --server needs exactly one --bind address")
	}
	var (
		s   *zerorpc.Server
		err error
	)
	switch cfg.command {
	case "time":
		s, err = newTimeServer()
	case "caculate":
		s, err = calc.NewServer()
	default:
		return fmt.Errorf("zerorpc: no built-in module %q (try time or caculate)", cfg.command)
	}
	if err != nil {
		return err
	}
	s.Heartbeat = time.Duration(cfg.heartbeat) * time.Second
	fmt.Fprintf(stderr, "binding to %q\n", cfg.bind[0])
	ln, err := zerorpc.Listen(cfg.bind[0])
	if err != nil {
		return fmt.Errorf("zerorpc: %w", err)
	}
	fmt.Fprintf(stderr, "serving %q\n", cfg.command)
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
	return nil
}
