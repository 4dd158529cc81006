package oslo_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// Hello is an endpoint: its method Greet is callable as greet with
// one keyword argument, name.
type Hello struct{}

type greetArgs struct {
	Name string `json:"name"`
}

func (Hello) Greet(ctx context.Context, a greetArgs) (string, error) {
	return "hello, " + a.Name, nil
}

// A server and a client in one process, as the course's benchmark and
// tour use them. (Compiled, not run: it needs a broker.)
func Example() {
	transport, err := oslo.NewTransport("rabbit://guest:guest@127.0.0.1:5672/", oslo.TransportOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer transport.Close()

	server, err := oslo.NewRPCServer(transport, oslo.Target{Topic: "hello", Server: "host1"},
		[]any{Hello{}}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(8)})
	if err != nil {
		log.Fatal(err)
	}
	if err := server.Start(); err != nil {
		log.Fatal(err)
	}
	defer func() { server.Stop(); server.Wait() }()

	client := oslo.NewRPCClient(transport, oslo.Target{Topic: "hello"}, oslo.ClientOptions{Timeout: 5 * time.Second})
	defer client.Close()
	var greeting string
	if err := client.Call(context.Background(), "greet", oslo.Args{"name": "oslo"}, &greeting); err != nil {
		log.Fatal(err)
	}
	fmt.Println(greeting)
}

// Casting to every server of a topic, and calling one server by name.
func ExampleRPCClient_Prepare() {
	transport, err := oslo.NewTransport("rabbit://guest:guest@127.0.0.1:5672/", oslo.TransportOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer transport.Close()
	client := oslo.NewRPCClient(transport, oslo.Target{Topic: "test"}, oslo.ClientOptions{})
	defer client.Close()
	ctx := context.Background()

	if err := client.Prepare(oslo.Prepare{Fanout: true}).Cast(ctx, "test", oslo.Args{"arg": "everyone"}); err != nil {
		log.Fatal(err)
	}
	var name string
	if err := client.Prepare(oslo.Prepare{Server: "server02", Timeout: 10 * time.Second}).Call(ctx, "whoami", nil, &name); err != nil {
		log.Fatal(err)
	}
	fmt.Println(name)
}

// A failure on the server is a *RemoteError with oslo's fields.
func ExampleRemoteError() {
	var client *oslo.RPCClient // made as in Example
	err := client.Call(context.Background(), "divide", oslo.Args{"x": 1, "y": 0}, nil)
	var remote *oslo.RemoteError
	if errors.As(err, &remote) {
		fmt.Println(remote.Module, remote.Class, remote.Message)
	}
}
