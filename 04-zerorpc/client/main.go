// Command client is the article's zerorpc client, the Go twin of
//
//	c = zerorpc.Client()
//	c.connect("tcp://127.0.0.1:4242")
//	print(c.add(2, 3))
//
// It calls every method of caculate, including a division by zero to
// show a remote error arriving as a typed Go error.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func main() {
	addr := flag.String("connect", envOr("ZERORPC_ADDR", zerorpc.DefaultAddr), "server endpoint")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *addr); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

// run calls every method once, printing each result or remote error.
func run(ctx context.Context, addr string) error {
	c, err := zerorpc.Dial(addr)
	if err != nil {
		return err
	}
	defer c.Close()

	// Call sends one request event and waits for its OK or ERR.
	hello, err := c.Call(ctx, "hello", "world")
	if err != nil {
		return err
	}
	fmt.Printf("hello(%q) = %q\n", "world", hello)

	for _, call := range []struct {
		method string
		x, y   int
	}{
		{"add", 2, 3},
		{"multiply", 2, 3},
		{"subtract", 2, 3},
		{"divide", 7, 2},
		{"divide", 1, 0},
	} {
		// CallInto decodes the result into a Go variable.
		var result int
		err := c.CallInto(ctx, &result, call.method, call.x, call.y)

		// A Python exception on the server arrives as a
		// *zerorpc.RemoteError: only transport failures stop us.
		var remote *zerorpc.RemoteError
		switch {
		case errors.As(err, &remote):
			fmt.Printf("%s(%d, %d) raised %s: %s\n", call.method, call.x, call.y, remote.Name, remote.Message)
		case err != nil:
			return err
		default:
			fmt.Printf("%s(%d, %d) = %d\n", call.method, call.x, call.y, result)
		}
	}
	return nil
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}
