package jsonrpc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// The protocol without a network: a request body in, a response out.
func ExampleServer_Handle() {
	s := jsonrpc.NewFunctionServer()
	ctx := context.Background()
	for _, body := range []string{
		`{"jsonrpc": "2.0", "method": "add", "params": [2, 3], "id": 1}`,
		`{"jsonrpc": "2.0", "method": "add", "params": {"x": 2, "y": 3}, "id": "by-name"}`,
		`{"jsonrpc": "2.0", "method": "add", "params": [2, 3]}`,
	} {
		out := s.Handle(ctx, []byte(body))
		if out == nil {
			fmt.Println("(a notification: no response)")
			continue
		}
		fmt.Printf("%s\n", out)
	}
	// Output:
	// {"jsonrpc":"2.0","result":5,"id":1}
	// {"jsonrpc":"2.0","result":5,"id":"by-name"}
	// (a notification: no response)
}

// jsonrpclib's register_function, in Go. Names make params by name
// possible.
func ExampleServer_RegisterFunction() {
	s := jsonrpc.NewServer()
	err := s.RegisterFunction("subtract", func(minuend, subtrahend int) int {
		return minuend - subtrahend
	}, "minuend", "subtrahend")
	if err != nil {
		log.Fatal(err)
	}
	out := s.Handle(context.Background(), []byte(
		`{"jsonrpc": "2.0", "method": "subtract", "params": {"subtrahend": 23, "minuend": 42}, "id": 3}`))
	fmt.Printf("%s\n", out)
	// Output: {"jsonrpc":"2.0","result":19,"id":3}
}

// A server on a free port, a client, one call, and an application
// error read with errors.As.
func ExampleClient_Call() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &jsonrpc.HTTPServer{Handler: jsonrpc.NewFunctionServer()}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	c := jsonrpc.NewClient("http://"+ln.Addr().String(), nil)
	ctx := context.Background()
	var sum int
	if err := c.Call(ctx, "add", []int{2, 3}, &sum); err != nil {
		log.Fatal(err)
	}
	fmt.Println("add(2, 3) =", sum)

	var q int
	err = c.Call(ctx, "divide", []int{1, 0}, &q)
	var e *jsonrpc.Error
	if errors.As(err, &e) {
		fmt.Println(e.Code, e.Message, e.Data)
	}
	// Output:
	// add(2, 3) = 5
	// 1 division by zero map[dividend:1 divisor:0]
}

// Several calls in one POST; each element gets its own result or error.
func ExampleClient_Batch() {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	srv := &jsonrpc.HTTPServer{Handler: jsonrpc.NewHandlerServer()}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	c := jsonrpc.NewClient("http://"+ln.Addr().String(), nil)
	var sum int
	var hello string
	batch := []jsonrpc.BatchElem{
		{Method: "add", Params: []int{1, 2}, Result: &sum},
		{Method: "hello", Params: []string{"batch"}, Result: &hello},
		{Method: "divide", Params: []int{1, 0}},
	}
	if err := c.Batch(context.Background(), batch); err != nil {
		log.Fatal(err)
	}
	fmt.Println(sum, hello)
	fmt.Println(batch[2].Error)
	// Output:
	// 3 hello, batch
	// jsonrpc error 1: division by zero (data: {"dividend":1,"divisor":0})
}
