package restrpc_test

import (
	"context"
	"fmt"
	"net"
	"os"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// The arithmetic, with no network: Python's floor division, and
// subtract as the absolute difference.
func ExampleCalculate() {
	for _, op := range restrpc.Operations {
		r, _ := restrpc.Calculate(op, -7, 2)
		fmt.Printf("%s(-7, 2) = %d\n", op, r)
	}
	_, err := restrpc.Calculate(restrpc.OpDivide, 1, 0)
	fmt.Println(err)
	// Output:
	// add(-7, 2) = -5
	// subtract(-7, 2) = 9
	// multiply(-7, 2) = -14
	// divide(-7, 2) = -4
	// division by zero
}

// The same add(2, 3) over each wire, through the one [Client]
// interface: what a benchmark or a tour loops over.
func ExampleDial() {
	ctx := context.Background()
	for _, style := range restrpc.Styles {
		// Listen, then Serve in a goroutine: how every server of the
		// course is started.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fmt.Println(err)
			return
		}
		srv := &restrpc.Server{Style: style}
		go srv.Serve(ln)
		c, err := restrpc.Dial(ctx, style, ln.Addr().String())
		if err != nil {
			fmt.Println(err)
			return
		}
		sum, err := c.Add(ctx, 2, 3)
		fmt.Println(style, sum, err)
		c.Close()
		srv.Close()
	}
	// Output:
	// rest 5 <nil>
	// gob 5 <nil>
	// jsonrpc 5 <nil>
}

// Capture shows the bytes a call puts on the wire. JSON-RPC 1.0 is
// one line each way.
func ExampleCapture() {
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Println(err)
		return
	}
	srv := &restrpc.Server{Style: restrpc.JSONRPC}
	go srv.Serve(ln)
	defer srv.Close()
	ex, err := restrpc.Capture(ctx, restrpc.JSONRPC, ln.Addr().String(), "add", 2, 3, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	ex[0].WriteDump(os.Stdout)
	// Output:
	// --> client to server, 60 bytes
	//     {"method":"Calculator.Add","params":[{"x":2,"y":3}],"id":0}\n
	// <-- server to client, 33 bytes
	//     {"id":0,"result":5,"error":null}\n
}
