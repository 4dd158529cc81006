// Every row of the table, in the order the course teaches them.

package main

import "github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"

// allSystems returns the systems. Python rows name the modules they
// need; a row whose modules are missing is reported absent.
func allSystems() []*system {
	return []*system{
		// Socket approaches.
		{Name: "tcp-raw", Lesson: "baseline", Desc: "raw TCP ping-pong, 16-byte message", Kind: kindCall,
			ServeName: "tcp", Dial: dialRawTCP},
		{Name: "http-json", Lesson: "baseline", Desc: "plain net/http + encoding/json, POST /add", Kind: kindCall,
			ServeName: "httpjson", Dial: dialHTTPJSON},
		{Name: "rest", Lesson: "01", Desc: "REST/JSON over HTTP, POST /calculations", Kind: kindCall,
			ServeName: "rest", Dial: dialREST},
		{Name: "netrpc-gob", Lesson: "01", Desc: "net/rpc, gob", Kind: kindCall,
			ServeName: "gob", Dial: dialNetRPC(restrpc.GobRPC)},
		{Name: "netrpc-json", Lesson: "01", Desc: "net/rpc, JSON-RPC 1.0", Kind: kindCall,
			ServeName: "jsonrpc1", Dial: dialNetRPC(restrpc.JSONRPC)},
		{Name: "xmlrpc-single", Lesson: "02", Desc: "XML-RPC, single-threaded server", Kind: kindCall,
			ServeName: "xmlrpc-single", Dial: dialXMLRPC},
		{Name: "xmlrpc-concurrent", Lesson: "02", Desc: "XML-RPC, concurrent server", Kind: kindCall,
			ServeName: "xmlrpc-concurrent", Dial: dialXMLRPC},
		{Name: "jsonrpc2", Lesson: "03", Desc: "JSON-RPC 2.0 over HTTP", Kind: kindCall,
			ServeName: "jsonrpc2", Dial: dialJSONRPC2},
		{Name: "zerorpc", Lesson: "04", Desc: "zerorpc (ZeroMQ + msgpack)", Kind: kindCall,
			ServeName: "zerorpc", Dial: dialZeroRPC},
		{Name: "grpc", Lesson: "reference", Desc: "gRPC (google.golang.org/grpc, protobuf, HTTP/2)", Kind: kindCall,
			ServeName: "grpc", Dial: dialGRPC},

		// The article's Python, same call.
		{Name: "go-py-xmlrpc-single", Lesson: "python", Desc: "Go client → Python SimpleXMLRPCServer", Kind: kindCall,
			PyServer: []string{"servers.py", "xmlrpc"}, Dial: dialXMLRPC, PyModules: []string{"xmlrpc.server"}},
		{Name: "go-py-xmlrpc-threading", Lesson: "python", Desc: "Go client → Python SimpleXMLRPCServer + ThreadingMixIn", Kind: kindCall,
			PyServer: []string{"servers.py", "xmlrpc-threading"}, Dial: dialXMLRPC, PyModules: []string{"xmlrpc.server"}},
		{Name: "py-xmlrpc-single", Lesson: "python", Desc: "Python ServerProxy → SimpleXMLRPCServer", Kind: kindCall,
			PyServer: []string{"servers.py", "xmlrpc"}, PyClient: []string{"clients.py", "xmlrpc"}, PyModules: []string{"xmlrpc.server"}},
		{Name: "py-xmlrpc-threading", Lesson: "python", Desc: "Python ServerProxy → SimpleXMLRPCServer + ThreadingMixIn", Kind: kindCall,
			PyServer: []string{"servers.py", "xmlrpc-threading"}, PyClient: []string{"clients.py", "xmlrpc"}, PyModules: []string{"xmlrpc.server"}},
		{Name: "go-py-jsonrpclib", Lesson: "python", Desc: "Go client → jsonrpclib SimpleJSONRPCServer", Kind: kindCall,
			PyServer: []string{"servers.py", "jsonrpclib"}, Dial: dialJSONRPC2, PyModules: []string{"jsonrpclib"}},
		{Name: "py-jsonrpclib", Lesson: "python", Desc: "jsonrpclib client → jsonrpclib server", Kind: kindCall,
			PyServer: []string{"servers.py", "jsonrpclib"}, PyClient: []string{"clients.py", "jsonrpclib"}, PyModules: []string{"jsonrpclib"}},
		{Name: "py-zerorpc", Lesson: "python", Desc: "zerorpc-python client → zerorpc-python server", Kind: kindCall,
			PyModules: []string{"zerorpc"}},

		// Broker approaches.
		{Name: "amqp-raw", Lesson: "baseline", Desc: "raw amqp091 publish→consume round trip, 16 bytes", Kind: kindCall, Broker: true,
			ServeName: "amqp-raw", Dial: dialAMQPRaw},
		{Name: "amqp-oslo-raw", Lesson: "baseline", Desc: "raw amqp091 round trip carrying oslo-call's wire (exchange, properties, confirms, acks, reply queue, body sizes)", Kind: kindCall, Broker: true,
			ServeName: "amqp-oslo-floor", Dial: dialOsloFloor},
		{Name: "amqp-publish", Lesson: "baseline", Desc: "raw amqp091 one-way publish, notification-sized body, no confirms (consumed/s)", Kind: kindCast, Broker: true,
			ServeName: "amqp-publish", Dial: dialPublishFloor(false), Drain: floorNotifyQueue},
		{Name: "amqp-publish-confirm", Lesson: "baseline", Desc: "raw amqp091 one-way publish with publisher confirms (consumed/s)", Kind: kindCast, Broker: true,
			ServeName: "amqp-publish", Dial: dialPublishFloor(true), Drain: floorNotifyQueue},
		{Name: "amqp-direct-reply", Lesson: "05", Desc: "AMQP request/reply, direct reply-to, JSON (bench adapter)", Kind: kindCall, Broker: true,
			ServeName: "amqp-direct", Dial: dialAMQPDirect},
		{Name: "oslo-call", Lesson: "06", Desc: "OpenStack-style call", Kind: kindCall, Broker: true,
			ServeName: "oslo", Dial: dialOslo(osloTopic, false)},
		{Name: "oslo-cast", Lesson: "06", Desc: "OpenStack-style cast (consumed/s)", Kind: kindCast, Broker: true,
			ServeName: "oslo", Dial: dialOslo(osloTopic, true), Drain: osloTopic},
		{Name: "notify", Lesson: "07", Desc: "notifications, INFO (consumed/s)", Kind: kindNotify, Broker: true,
			ServeName: "notify", Dial: dialNotify, Drain: notifyQueue},
		{Name: "go-py-oslo-call", Lesson: "python", Desc: "Go oslo client → oslo.messaging server", Kind: kindCall, Broker: true,
			PyServer: []string{"servers.py", "oslo", osloPyTopic}, Dial: dialOslo(osloPyTopic, false), PyModules: []string{"oslo_messaging"}},
		{Name: "py-oslo-call", Lesson: "python", Desc: "oslo.messaging RPCClient → oslo.messaging server", Kind: kindCall, Broker: true,
			PyServer: []string{"servers.py", "oslo", osloPyTopic}, PyClient: []string{"clients.py", "oslo", osloPyTopic}, PyModules: []string{"oslo_messaging"}},
	}
}
