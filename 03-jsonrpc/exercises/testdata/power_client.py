"""Python's jsonrpclib calls power both ways JSON-RPC 2.0 allows.

Usage: power_client.py URL. Prints one line per call: the result, or
the error the server answered with.
"""
import sys

import jsonrpclib

server = jsonrpclib.ServerProxy(sys.argv[1])
for label, call in (("by position", lambda: server.power(2, 10)),
                    ("by name", lambda: server.power(base=2, exp=10))):
    try:
        print(label, call(), flush=True)
    except Exception as e:  # the test prints what came back
        print(label, "failed:", type(e).__name__, e, flush=True)
