"""The article's jsonrpclib server, on a random port for tests:

    server = SimpleJSONRPCServer(('localhost', 8080))
    server.register_function(lambda x,y: x+y, 'add')

with the rest of the article's calculator and `log`, a method for
notifications, which prints what it got. Prints READY host:port.
"""
import sys

from jsonrpclib.SimpleJSONRPCServer import SimpleJSONRPCServer


def log(message):
    print("LOG", message, flush=True)


server = SimpleJSONRPCServer(("127.0.0.1", 0), logRequests=False)
server.register_function(lambda x, y: x + y, "add")
server.register_function(lambda x, y: x * y, "multiply")
server.register_function(lambda x, y: abs(x - y), "subtract")
# `//` is Python 3's integer division; the article's Python 2 `x/y` on
# ints was the same.
server.register_function(lambda x, y: x // y, "divide")
server.register_function(log, "log")

host, port = server.server_address
print("READY %s:%d" % (host, port), flush=True)
server.serve_forever()
