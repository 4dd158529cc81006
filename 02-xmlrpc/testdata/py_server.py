"""The article's SimpleXMLRPCServer, in Python 3 (lesson 02 interop test).

The article was written for Python 2, where `x/y` on two ints is
integer division; in Python 3 that is `x//y` (`/` would give 0.666…).

Usage: py_server.py [PORT]   (default 0: a free port)
Prints "READY host:port" once it accepts calls.
"""
import sys
from xmlrpc.server import SimpleXMLRPCServer


class calculate:
    def add(self, x, y):
        return x + y

    def multiply(self, x, y):
        return x * y

    def subtract(self, x, y):
        return abs(x - y)

    def divide(self, x, y):
        return x // y

    def hello(self):
        return "hello xmlrpc"

    def echo(self, value):
        return value


port = int(sys.argv[1]) if len(sys.argv) > 1 else 0
server = SimpleXMLRPCServer(("127.0.0.1", port), allow_none=True,
                            use_builtin_types=True, logRequests=False)
server.register_instance(calculate())
server.register_introspection_functions()
server.register_multicall_functions()
host, port = server.server_address
print("READY %s:%d" % (host, port), flush=True)
server.serve_forever()
