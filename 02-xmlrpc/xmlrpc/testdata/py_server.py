"""The article's SimpleXMLRPCServer, in Python 3 (lesson 02 interop test).

The article was written for Python 2, where `x/y` on two ints is
integer division; in Python 3 that is `x//y` (`/` would give 0.666…).

Usage: py_server.py [PORT]   (default 0: a free port)
Prints "READY host:port" once it accepts calls.
"""
import signal
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

# Stop cleanly on Ctrl-C (SIGINT) and on SIGTERM.
# (A shell may start background jobs with SIGINT ignored: undo that.)
signal.signal(signal.SIGINT, signal.default_int_handler)
signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
try:
    server.serve_forever()
except (KeyboardInterrupt, SystemExit):
    pass
print("server stopped", flush=True)
