// Package xmlrpc is lesson 02 of the course: remote calls with
// XML-RPC, the protocol behind Python's SimpleXMLRPCServer and
// xmlrpc.client.ServerProxy (section 8.9.2, part 01, "基于 xml-rpc").
//
// An XML-RPC call is one HTTP POST whose body is a <methodCall>
// document: a method name and a list of typed values. The answer is a
// <methodResponse> holding either exactly one value or a <fault>
// (a struct with faultCode and faultString). That is the whole
// protocol; everything else in this package is the plumbing a library
// like Python's hides from you.
//
// The files, in the order a reader might open them:
//
//   - value.go: the Go types a decoded value becomes, and encoding
//     of Go values into <value> elements.
//   - decode.go: the grammar of <methodCall>, <methodResponse>
//     and <value>, read strictly and with limits.
//   - parser.go: the token-level moves over encoding/xml that
//     decode.go is written in.
//   - encode.go: writing calls, responses and faults.
//   - unmarshal.go: copying a decoded value into a typed Go variable.
//   - fault.go: the [Fault] error and the fault codes we use.
//   - server.go, register.go, system.go: the [Server], Python's
//     SimpleXMLRPCServer in one type: its fields (timeouts and limits),
//     its HTTP handler that dispatches to registered Go methods, as
//     register_instance does, and the system.* methods.
//   - serve.go: [Server.Serve], [Server.ListenAndServe],
//     [Server.Shutdown] and [Server.Close], the words of
//     [net/http.Server], one request at a time (like
//     SimpleXMLRPCServer) or concurrently (like ThreadingMixIn).
//   - client.go: a ServerProxy-style client.
//   - repr.go: printing a decoded value the way Python shows it.
//   - calculator.go: the article's calculate class in Go.
//
// A server on a network meets clients that are slow, stalled or
// hostile. Every limit is a field of [Server] with a default: the body
// size, the nesting depth of values, the calls in one multicall, the
// size of a reply, the time one request may run, and the time a client
// may take to send its request or read its reply. A client over a
// limit gets HTTP 413 or a fault, or is disconnected, and the server
// goes on. In SingleThreaded mode each timeout is also what one slow
// client makes every other client wait.
package xmlrpc
