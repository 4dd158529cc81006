"""Python's jsonrpclib calls the Go server, as in the article:

    server = jsonrpclib.Server("http://localhost:8080")

Usage: proxy_client.py BASE_URL. Prints one line per check; the Go test
asserts them.
"""
import sys

import jsonrpclib
from jsonrpclib import MultiCall, ProtocolError, AppError

base = sys.argv[1]
server = jsonrpclib.ServerProxy(base + "/")

# Calls by position, and by name (keyword arguments become a JSON object).
print("add", server.add(2, 3))
print("multiply", server.multiply(2, 3))
print("subtract", server.subtract(2, 3))
print("divide", server.divide(2, 3), server.divide(-7, 2))
print("add by name", server.add(x=2, y=3))

# An application error keeps its code and data.
try:
    server.divide(1, 0)
except AppError as e:
    code, message = e.args[0][0], e.args[0][1]
    print("divide(1, 0) AppError", code, message, sorted(e.args[0][2].items()))

# Standard errors arrive as ProtocolError((code, message)).
try:
    server.power(2, 3)
except ProtocolError as e:
    print("power ProtocolError", e.args[0][0], e.args[0][1])
try:
    server.add(1, "two")
except ProtocolError as e:
    print("add(1, 'two') ProtocolError", e.args[0][0], e.args[0][1])

# A notification: sent without an id, no answer expected.
server._notify.log("notified from python")
print("notify sent")

# A batch via MultiCall; a failing element raises when reached.
batch = MultiCall(server)
batch.add(1, 2)
batch.multiply(3, 4)
batch._notify.log("batched from python")
batch.divide(1, 0)
results = batch()
print("batch length", len(results))
print("batch", results[0], results[1])
try:
    results[2]
except AppError as e:
    print("batch divide AppError", e.args[0][0])

# A batch of notifications only gets no answer at all.
quiet = MultiCall(server)
quiet._notify.log("quiet 1")
quiet._notify.log("quiet 2")
print("all-notification batch", len(quiet()))

# The python-jsonrpc style endpoint speaks the same protocol.
handler = jsonrpclib.ServerProxy(base + "/jsonrpc")
print("handler add", handler.add(2, 3), handler.hello("python"))
