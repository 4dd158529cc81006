// Command server is the article's RPC server ("8.9.6"), in Go: a
// TestEndpoint and a ServerControlEndpoint served on topic test under a
// server name.
// Start three with different -names to see round robin, direct calls
// and fanout.
//
//	go run ./06-openstack-style/server -name server01
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

func main() {
	url := flag.String("url", defaultURL(), "transport_url, rabbit://user:pass@host:5672/vhost (default: $TRANSPORT_URL or $AMQP_URL)")
	topic := flag.String("topic", "test", "topic to serve")
	name := flag.String("name", "server01", "server name (queue <topic>.<name>)")
	executor := flag.String("executor", "blocking", "blocking (one request at a time) or pool")
	workers := flag.Int("workers", 8, "pool size for -executor pool")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// SIGHUP resets the server, as it does an OpenStack daemon.
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	if err := run(ctx, hup, *url, *topic, *name, *executor, *workers); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

// defaultURL takes the broker from the environment, as every RabbitMQ
// lesson does; amqp:// URLs are accepted as rabbit://.
func defaultURL() string {
	for _, k := range []string{"TRANSPORT_URL", "AMQP_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "rabbit://guest:guest@127.0.0.1:5672/"
}

// run serves until ctx ends (Ctrl-C); each value on hup resets the
// server.
func run(ctx context.Context, hup <-chan os.Signal, url, topic, name, executor string, workers int) error {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	transport, err := oslo.NewTransport(url, oslo.TransportOptions{Logger: logger})
	if err != nil {
		return err
	}
	defer transport.Close()
	server, err := newServer(transport, topic, name, executor, workers)
	if err != nil {
		return err
	}

	// Start waits (with backoff) for a broker that is not up yet;
	// Ctrl-C ends the wait by closing the transport.
	stopWaiting := context.AfterFunc(ctx, func() { transport.Close() })
	err = server.Start()
	stopWaiting()
	if ctx.Err() != nil {
		return nil
	}
	if err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	fmt.Printf("%s: serving topic %q (queues %s and %s.%s, fanout %s_fanout), %s executor\n",
		name, topic, topic, topic, name, topic, executor)

	// Ctrl-C stops the server; so does a client's stop. SIGHUP resets.
	go func() {
		for {
			select {
			case <-ctx.Done():
				server.Stop()
				return
			case <-hup:
				server.Reset()
				fmt.Printf("%s: reset\n", name)
			}
		}
	}()
	server.Wait()
	if ctx.Err() != nil {
		fmt.Printf("%s: stopped\n", name)
		return nil
	}
	// Stopped by a client's stop: like the article's loop, which sleeps
	// until Ctrl-C, the process stays; it just takes no more messages.
	fmt.Printf("%s: stopped; Ctrl-C exits\n", name)
	<-ctx.Done()
	return nil
}

// newServer makes the article's server: the endpoints on topic and
// name, run by the executor asked for.
func newServer(transport *oslo.Transport, topic, name, executor string, workers int) (*oslo.RPCServer, error) {
	var exec oslo.Executor
	switch executor {
	case "blocking":
		exec = oslo.NewBlockingExecutor()
	case "pool":
		exec = oslo.NewPoolExecutor(workers)
	default:
		return nil, fmt.Errorf("unknown executor %q (want blocking or pool)", executor)
	}

	// The endpoints, in the article's order: the control endpoint first.
	// It needs the server, and the server needs its endpoints, so its
	// Server field is set once the server exists.
	control := &endpoints.ServerControlEndpoint{Name: name, Out: os.Stdout}
	eps := []any{
		control,
		&endpoints.TestEndpoint{Name: name, Out: os.Stdout},
		&endpoints.InfoEndpoint{Name: name},
	}
	// The serializer turns the _context_* fields of each request into
	// a typed *oslo.UserContext, which TestEndpoint prints.
	target := oslo.Target{Topic: topic, Server: name}
	server, err := oslo.NewRPCServer(transport, target, eps, oslo.ServerOptions{
		Executor:   exec,
		Serializer: oslo.UserContextSerializer{},
	})
	if err != nil {
		return nil, err
	}
	control.Server = server
	return server, nil
}
