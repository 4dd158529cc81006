package xmlrpc_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"strings"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// What add(2, 3) looks like on the wire.
func ExampleEncodeCall() {
	doc, err := xmlrpc.EncodeCall("add", 2, 3)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Print(string(doc))
	// Output:
	// <?xml version="1.0"?>
	// <methodCall>
	// <methodName>add</methodName>
	// <params>
	// <param>
	// <value><int>2</int></value>
	// </param>
	// <param>
	// <value><int>3</int></value>
	// </param>
	// </params>
	// </methodCall>
}

// A <value> with no type inside is a string.
func ExampleDecodeCall() {
	call, err := xmlrpc.DecodeCall(strings.NewReader(
		`<methodCall><methodName>hello</methodName><params>
		<param><value>world</value></param>
		<param><value><i4>7</i4></value></param>
		</params></methodCall>`))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(call.Method, xmlrpc.Repr(call.Params))
	// Output: hello ['world', 7]
}

// Serve the calculator in-process the way every program of the course
// starts a server, call it, read a fault, and shut it down.
func ExampleServer_Serve() {
	srv := xmlrpc.NewCalculatorServer()
	srv.Mode = xmlrpc.Concurrent
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		log.Fatal(err)
	}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())

	c, err := xmlrpc.NewClient("http://" + ln.Addr().String() + "/RPC2")
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	sum, err := xmlrpc.CallAs[int](ctx, c, "add", 2, 3)
	fmt.Println(sum, err)

	_, err = c.Call(ctx, "divide", 1, 0)
	var f *xmlrpc.Fault
	if errors.As(err, &f) {
		fmt.Println(f.Code, f.String)
	}
	// Output:
	// 5 <nil>
	// -32500 integer division or modulo by zero
}
