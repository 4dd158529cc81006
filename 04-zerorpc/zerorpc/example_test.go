package zerorpc_test

import (
	"context"
	"fmt"
	"iter"
	"net"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func ExampleClient_Call() {
	s, _ := calc.NewServer()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go s.Serve(ln)
	defer s.Close()
	c, err := zerorpc.Dial("tcp://" + ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	sum, err := c.Call(context.Background(), "add", 2, 3)
	fmt.Println(sum, err)
	_, err = c.Call(context.Background(), "divide", 1, 0)
	fmt.Println(err)
	// Output:
	// 5 <nil>
	// ZeroDivisionError: division by zero
}

// A Go type's exported methods become remote methods with Python-style
// names; a method returning an iterator streams.
type greeter struct{}

func (greeter) SayHello(name string) string { return "hello, " + name }

func (greeter) Countdown(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := n; i > 0; i-- {
			if !yield(i) {
				return
			}
		}
	}
}

func ExampleServer_Register() {
	var s zerorpc.Server
	if err := s.Register(greeter{}); err != nil {
		fmt.Println(err)
		return
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	go s.Serve(ln)
	defer s.Close()
	c, err := zerorpc.Dial("tcp://" + ln.Addr().String())
	if err != nil {
		fmt.Println(err)
		return
	}
	defer c.Close()
	ctx := context.Background()

	names, _ := c.Call(ctx, "_zerorpc_list")
	fmt.Println(names)
	hello, _ := c.Call(ctx, "say_hello", "zerorpc")
	fmt.Println(hello)
	for n, err := range c.Stream(ctx, "countdown", 3) {
		fmt.Println(n, err)
	}
	// Output:
	// [countdown say_hello]
	// hello, zerorpc
	// 3 <nil>
	// 2 <nil>
	// 1 <nil>
}
