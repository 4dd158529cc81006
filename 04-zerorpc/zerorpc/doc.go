// Package zerorpc speaks the zerorpc protocol of zerorpc-python 0.6
// in Go, byte for byte: a Python zerorpc.Client can call a Go
// [Server], and a Go [Client] can call a Python zerorpc.Server.
//
// The protocol is three layers on top of ZeroMQ, and the files follow
// them:
//
//   - Events (event.go, depth.go). Every message is one msgpack array
//     [header, name, args] (see [Event]). The header carries a
//     message_id, the protocol version v: 3 and, on every event after
//     the first of a conversation, response_to.
//   - Channels (channel.go). The first event of a call opens a channel
//     named by its message_id; every later event of that call (the
//     reply, stream items, heartbeats, flow-control credit) names the
//     channel in response_to. Many channels share one socket, so one
//     [Client] runs many calls at once over one connection. Each
//     channel has a heartbeat clock (_zpc_hb) so each side notices
//     when the other one is gone, and credit (_zpc_more) so a fast
//     sender cannot flood a slow receiver.
//   - Patterns (dispatch.go, stream.go, client.go). A call is
//     request/reply (OK or ERR) or a stream (STREAM … STREAM_DONE).
//
// Below them, zmtp.go and limits.go are the ZeroMQ connection; above
// them, server.go serves connections the way net/http does
// ([Server.Serve], [Server.ListenAndServe], [Server.Shutdown]), and
// methods.go and builtins.go turn Go functions into remote methods.
//
// Traps this package handles for you (they are easy to get wrong and
// break interoperability silently):
//
//   - Always send the empty delimiter frame before the payload.
//   - Echo response_to in the msgpack type it arrived in: a bin id
//     stays bin, a str id stays str. Python drops a reply whose id
//     has the wrong type.
//   - Never send an empty string as traceback: send nil.
//   - Encode ints compactly and the header keys in order, as Python
//     does, so the bytes are the same.
//
// And one trap of every length-prefixed protocol: never allocate a
// size a peer announces before checking it. Every frame, message and
// handshake command has a cap ([Server.MaxMessageSize],
// [Server.MaxHandshakeSize]), memory grows with the bytes actually
// received, and msgpack nesting is checked without recursion before
// any decoder recurses ([Server.MaxDepth]).
//
// The ZeroMQ layer: go-zeromq/zmq4 does the ZMTP 3 handshake
// ([zmq4.Open]) and frames what we send ([zmq4.Conn.SendMsg]); this
// package reads frames and does the small ROUTER/DEALER part itself: a
// [Client] is one connection, and a [Server] answers on the connection
// a request came from. That gives one write per message and no
// goroutine between the socket and the code, and it sidesteps two
// traps of zmq4's own sockets: its DEALER writes every message to
// every connection it has, and its ROUTER silently drops a message for
// a routing id it does not know.
package zerorpc
