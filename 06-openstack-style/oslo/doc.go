// Package oslo is OpenStack-style RPC over RabbitMQ, in Go, speaking the
// wire format of Python's oslo.messaging (14.x), so a Go server answers a
// Python RPCClient and a Go client calls a Python RPC server.
//
// The article ("8.9.5 OpenStack中如何使用RPC？") lists the concepts of
// oslo.messaging; each one is a Go type here:
//
//   - transport: how to reach the broker, from a transport_url
//     ([ParseTransportURL], [Transport]).
//   - target: where a message goes, or what a server listens on
//     ([Target]: exchange, topic, namespace, version, server, fanout).
//   - endpoints: Go values whose methods can be called remotely
//     (func (e *E) Test(ctx context.Context, args TestArgs) (R, error)).
//   - dispatcher: finds the endpoint and method for a request, checking
//     namespace and version ([Dispatcher], [NoSuchMethod],
//     [UnsupportedVersion]).
//   - serializer: turns the request context and the arguments into JSON
//     and back ([Serializer], [JSONSerializer], [UserContextSerializer]).
//   - executor: how many requests a server runs at once
//     ([BlockingExecutor], [PoolExecutor]).
//
// [RPCClient] has Call (waits for the answer), Cast (does not) and
// [Prepare] (the same client aimed elsewhere); [RPCServer] has Start,
// Stop, Wait and Reset.
//
// On the wire (see shared/specs/oslo-messaging.md): requests go to a topic
// exchange (openstack) with the topic as routing key, or to
// <topic>_fanout; the body is an envelope {"oslo.version": "2.0",
// "oslo.message": "<JSON text>"}; answers come back through the default
// exchange to the caller's reply_<uuid> queue.
//
// AMQP traps this package keeps away from (amqp091-go's doc): one channel
// for consuming and another for publishing, each used under a lock; a
// channel is thrown away after any error and opened again; a prefetch
// count bounds what a server takes at once.
//
// A broker that is not up yet is waited for, as oslo.messaging waits:
// the transport's first connection is retried with a doubling delay,
// each attempt logged, until [TransportOptions.ConnectAttempts] run out
// (the error then wraps [ErrBrokerUnreachable]). After that, a lost
// connection is the server's to restore (it reconnects and declares its
// queues again) and a call's to report ([ErrConnectionLost]).
//
// A cluster is a transport_url with several hosts. When a connection is
// lost, the next dial goes to the next host ([DriverOptions.FailoverStrategy]);
// every publish waits for the broker's confirmation and is sent again,
// through another host, if the connection dies first; with
// [DriverOptions.QuorumQueues] the topic queues are quorum queues, declared
// with exactly oslo.messaging's arguments, so they outlive a node and are
// shared with Python services on the same cluster.
package oslo
