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
// [HTTPServer] serves it on a port, with timeouts and limits that
// protect it from slow and hostile clients.
// The client side is [Client] with [Client.Call], [Client.Notify] and
// [Client.Batch].
//
// The zabbix subpackage shows a real-world API built this way: Zabbix's
// user.login hands out a token that later requests carry in a
// non-standard auth member.
package jsonrpc
