// The serving side, run in a child process: bench -serve NAME.
//
// The bench re-executes itself with the hidden -serve flag, pinned to
// the server CPU. The child starts one server on a free loopback port
// (or on the broker named by AMQP_URL), prints "READY <addr>" and
// serves until its stdin closes or it gets SIGTERM.

package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// servers maps a -serve name to a function that starts the server
// and returns its address and how to stop it.
var servers = map[string]func(ctx context.Context, amqpURL string) (string, func(), error){
	"tcp": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		go serveRawTCP(ln)
		return ln.Addr().String(), func() { ln.Close() }, nil
	},
	"httpjson": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := serveHTTPJSON(ln)
		return ln.Addr().String(), func() { srv.Close() }, nil
	},
	"rest":     lessonOne(restrpc.REST),
	"gob":      lessonOne(restrpc.GobRPC),
	"jsonrpc1": lessonOne(restrpc.JSONRPC),
	"xmlrpc-single": func(context.Context, string) (string, func(), error) {
		return startXMLRPC(xmlrpc.SingleThreaded)
	},
	"xmlrpc-concurrent": func(context.Context, string) (string, func(), error) {
		return startXMLRPC(xmlrpc.Concurrent)
	},
	"jsonrpc2": func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		srv := &jsonrpc.HTTPServer{Handler: jsonrpc.NewFunctionServer()}
		go srv.Serve(ln)
		return ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
	},
	"zerorpc": func(context.Context, string) (string, func(), error) {
		s, err := calc.NewServer()
		if err != nil {
			return "", nil, err
		}
		s.ErrorLog = log.New(io.Discard, "", 0)
		ln, err := zerorpc.Listen("tcp://127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		go s.Serve(ln)
		return ln.Addr().String(), func() { s.Close() }, nil
	},
	"grpc": startGRPC,
	"amqp-raw": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := serveAMQPRPC(ctx, url, true)
		return rawQueue, stop, err
	},
	"amqp-direct": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := serveAMQPRPC(ctx, url, false)
		return directQueue, stop, err
	},
	"amqp-oslo-floor": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := serveOsloFloor(ctx, url)
		return floorTopic, stop, err
	},
	"amqp-publish": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := servePublishFloor(ctx, url)
		return floorNotifyQueue, stop, err
	},
	"oslo": func(_ context.Context, url string) (string, func(), error) {
		stop, err := serveOslo(url)
		return osloTopic, stop, err
	},
	"notify": func(ctx context.Context, url string) (string, func(), error) {
		stop, err := serveNotify(ctx, url)
		return notifyQueue, stop, err
	},
}

// lessonOne starts lesson 01's server of style the course's way:
// listen, then Serve in a goroutine; Close stops it.
func lessonOne(style restrpc.Style) func(context.Context, string) (string, func(), error) {
	return func(context.Context, string) (string, func(), error) {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return "", nil, err
		}
		s := &restrpc.Server{Style: style}
		go s.Serve(ln)
		return ln.Addr().String(), func() { s.Close() }, nil
	}
}

func startXMLRPC(mode xmlrpc.Mode) (string, func(), error) {
	ln, err := xmlrpc.Listen("127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := xmlrpc.NewCalculatorServer()
	srv.Mode = mode
	go srv.Serve(ln)
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}, nil
}

// serve is the child's whole life.
func serve(name string) error {
	start, ok := servers[name]
	if !ok {
		start, ok = sweepServers[name]
	}
	if !ok {
		return fmt.Errorf("unknown server %q", name)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	addr, closeFn, err := start(ctx, os.Getenv("AMQP_URL"))
	if err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	defer closeFn()
	fmt.Printf("READY %s\n", addr)

	// The parent closes our stdin to stop us (and if it dies, the
	// pipe closes too, so no server outlives its bench).
	eof := make(chan struct{})
	go func() {
		io.Copy(io.Discard, bufio.NewReader(os.Stdin))
		close(eof)
	}()
	select {
	case <-ctx.Done():
	case <-eof:
	}
	return nil
}
