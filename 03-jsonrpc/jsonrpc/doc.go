// Package jsonrpc is lesson 03 of the course: JSON-RPC 2.0 over HTTP,
// written with the standard library only.
//
// The article's section "8.9.2 实现远程调用的三种方式" (three ways to make
// a remote call) moves from XML-RPC to JSON-RPC: the same idea (an HTTP
// POST that names a method and carries its arguments) with a lighter
// encoding. JSON-RPC 2.0 (https://www.jsonrpc.org/specification) is a
// short specification, and this package implements all of it:
//
//   - a Request object names a method, carries params by position (a
//     JSON array) or by name (a JSON object), and an id (a string, a
//     number or null) that the Response echoes;
//   - a Request without an id is a notification: the server runs it and
//     never answers;
//   - an array of Requests is a batch; the answer is an array of the
//     Responses to the non-notifications (nothing at all if there are none);
//   - failures are Error objects with a code, a message and optional
//     data; five codes are reserved by the specification (see [CodeParseError]
//     and the constants after it).
//
// The server side comes in the two styles the article shows with Python
// libraries: jsonrpclib's register_function ([Server.RegisterFunction])
// and python-jsonrpc's handler class, whose methods become RPC methods
// ([Server.RegisterMethods]). A [Server] is an [net/http.Handler]; an
// [HTTPServer] serves it on a port, the way the standard library
// serves any handler:
//
//	srv := &jsonrpc.HTTPServer{Handler: jsonrpc.NewFunctionServer()}
//	ln, err := net.Listen("tcp", "127.0.0.1:8080")
//	...
//	go srv.Serve(ln)
//	...
//	srv.Shutdown(ctx)
//
// The client side is [Client] with [Client.Call], [Client.Notify] and
// [Client.Batch].
//
// A server on a network meets clients that are slow or hostile, so
// every cost a request can impose has a limit, set by an exported field
// whose zero value is a sane default: the body's size
// ([Server.MaxBodyBytes]), a batch's length ([Server.MaxBatch]), the
// nesting of its JSON ([Server.MaxDepth]), the reply's size
// ([Server.MaxReplyBytes]), the time to send a request
// ([HTTPServer.ReadTimeout] and its siblings) and the requests handled
// at once ([HTTPServer.MaxConcurrentRequests]). A request over a limit
// gets the protocol's own error (or HTTP 413 for a body too large), the
// server logs a line, and it goes on serving.
//
// The zabbix subpackage shows a real-world API built this way: Zabbix's
// user.login hands out a token that later requests carry in a
// non-standard auth member.
package jsonrpc
