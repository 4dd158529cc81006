// Package zerorpc speaks the zerorpc protocol of zerorpc-python 0.6
// in Go, byte for byte: a Python `zerorpc.Client` can call a Go
// [Server], and a Go [Client] can call a Python `zerorpc.Server`.
//
// The protocol is three layers on top of ZeroMQ:
//
//   - Events. Every message is one msgpack array
//     `[header, name, args]` (see [Event]). The header carries a
//     `message_id`, the protocol version `v: 3` and, on every event
//     after the first of a conversation, `response_to`.
//   - Channels. The first event of a call opens a channel named by its
//     `message_id`; every later event of that call (the reply, stream
//     items, heartbeats, flow-control credit) names the channel in
//     `response_to`. Many channels share one socket, so one [Client]
//     runs many calls at once over one connection.
//   - Patterns. A call is request/reply (`OK` or `ERR`) or a stream
//     (`STREAM` … `STREAM_DONE`), with `_zpc_more` credit so a fast
//     server cannot flood a slow client, and `_zpc_hb` heartbeats so
//     each side notices when the other one is gone.
//
// Traps this package handles for you (they are easy to get wrong and
// break interoperability silently):
//
//   - Always send the empty delimiter frame before the payload.
//   - Echo `response_to` in the msgpack type it arrived in: a bin id
//     stays bin, a str id stays str. Python drops a reply whose id
//     has the wrong type.
//   - Never send an empty string as traceback: send nil.
//   - Encode ints compactly and the header keys in order, as Python
//     does, so the bytes are the same.
//
// The ZeroMQ layer: go-zeromq/zmq4 does the ZMTP 3 handshake and the
// framing (`zmq4.Open`, `Conn.SendMsg`); this package does the small
// ROUTER/DEALER part itself (see zmtp.go): a [Client] is one
// connection, and a [Server] answers on the connection a request came
// from. That gives one `write` per message and no goroutine between
// the socket and the code, and it sidesteps two traps of zmq4's own
// sockets: its DEALER writes every message to every connection it has,
// and its ROUTER silently drops a message for a routing id it does not
// know.
package zerorpc
