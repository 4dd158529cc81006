// Package restrpc serves one small calculator two ways, so that the
// article's first question, "REST and RPC: what is the difference?",
// can be answered by reading code and counting bytes.
//
// The service is the article's calculate class: add, subtract (the
// absolute difference), multiply and divide (Python's floor division;
// dividing by zero is an error). It is exposed as:
//
//   - REST, in rest_server.go: the calculation is a resource. A client
//     creates one with POST /calculations (201 Created and a Location),
//     reads it back with GET /calculations/{id}, lists them with
//     GET /calculations and removes one with DELETE. Errors are HTTP
//     status codes with a JSON problem body (RFC 9457).
//   - RPC, in rpc_server.go: the operations are methods of a
//     Calculator service, served by Go's net/rpc either with its
//     native gob encoding or with JSON-RPC 1.0 (net/rpc/jsonrpc). A
//     client calls Calculator.Add as if it were a local method.
//
// A [Server] serves any of the three styles, started and stopped the way
// net/http's server is:
//
//	ln, err := net.Listen("tcp", "127.0.0.1:8001")
//	...
//	srv := &restrpc.Server{Style: restrpc.GobRPC}
//	go srv.Serve(ln)
//	...
//	srv.Shutdown(ctx)
//
// [Dial] connects a [Client] to it, so other packages (the course's
// benchmark and tour) can run the same add(2, 3) over each wire.
// [Capture] records the exact bytes one call puts on the wire, by
// wrapping the [net.Conn].
//
// A server must outlive its worst client, and net/rpc alone does not:
// it reads as fast as a peer writes, runs a goroutine per call, buffers
// a request of any size and waits forever for a silent peer. [Server]
// wraps each connection's codec to bound all four; its fields name the
// limits.
package restrpc
