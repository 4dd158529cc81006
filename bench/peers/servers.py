"""The article's Python servers, for the bench to measure side by side.

Usage: servers.py KIND, with KIND one of
  xmlrpc            SimpleXMLRPCServer, one request at a time
  xmlrpc-threading  the same with ThreadingMixIn, a thread per request
  jsonrpclib        jsonrpclib's SimpleJSONRPCServer
  oslo              an oslo.messaging RPC server (AMQP_URL from the env)

Prints "READY <addr>" once it serves, and stops when stdin closes.
"""
import os
import sys
import threading


class calculate:
    """The article's calculator class."""

    def add(self, x, y):
        return x + y

    def multiply(self, x, y):
        return x * y

    def subtract(self, x, y):
        return abs(x - y)

    def divide(self, x, y):
        return x // y


def wait_for_stdin_eof():
    while sys.stdin.read(4096):
        pass


def run_socketserver(server):
    host, port = server.server_address[:2]
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    print("READY %s:%d" % (host, port), flush=True)
    wait_for_stdin_eof()
    server.shutdown()


def xmlrpc(threading_mixin):
    from xmlrpc.server import SimpleXMLRPCServer
    from socketserver import ThreadingMixIn

    cls = SimpleXMLRPCServer
    if threading_mixin:
        class ThreadXMLRPCServer(ThreadingMixIn, SimpleXMLRPCServer):
            pass
        cls = ThreadXMLRPCServer
    server = cls(("127.0.0.1", 0), logRequests=False, allow_none=True)
    server.register_instance(calculate())
    run_socketserver(server)


def jsonrpclib():
    from jsonrpclib.SimpleJSONRPCServer import SimpleJSONRPCServer

    server = SimpleJSONRPCServer(("127.0.0.1", 0), logRequests=False)
    c = calculate()
    for name in ("add", "multiply", "subtract", "divide"):
        server.register_function(getattr(c, name), name)
    run_socketserver(server)


def oslo():
    import logging
    logging.disable(logging.CRITICAL)
    from oslo_config import cfg
    import oslo_messaging as om

    url = os.environ["AMQP_URL"].replace("amqp://", "rabbit://", 1)
    topic = sys.argv[2] if len(sys.argv) > 2 else "bench-py"

    class CalcEndpoint:
        def add(self, ctxt, x, y):
            return x + y

    transport = om.get_rpc_transport(cfg.CONF, url=url)
    target = om.Target(topic=topic, server="s1")
    server = om.get_rpc_server(transport, target, [CalcEndpoint()],
                               executor="threading")
    server.start()
    print("READY %s" % topic, flush=True)
    wait_for_stdin_eof()
    server.stop()
    server.wait()
    transport.cleanup()


if __name__ == "__main__":
    kind = sys.argv[1]
    if kind == "xmlrpc":
        xmlrpc(False)
    elif kind == "xmlrpc-threading":
        xmlrpc(True)
    elif kind == "jsonrpclib":
        jsonrpclib()
    elif kind == "oslo":
        oslo()
    else:
        sys.exit("unknown kind %r" % kind)
