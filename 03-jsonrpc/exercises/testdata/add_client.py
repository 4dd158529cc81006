"""Python's jsonrpclib calls a hand-written JSON-RPC server.

Usage: add_client.py URL. Prints one line per call: the result, or
the error the server answered with.
"""
import sys

import jsonrpclib

server = jsonrpclib.ServerProxy(sys.argv[1])
for label, call in (("add(2, 3)", lambda: server.add(2, 3)),
                    ("add(0, 0)", lambda: server.add(0, 0)),
                    ("nope()", lambda: server.nope())):
    try:
        print(label, "=", call(), flush=True)
    except jsonrpclib.ProtocolError as e:
        detail = e.args[0]
        code = detail[0] if isinstance(detail, tuple) else detail
        print(label, "ProtocolError", code, flush=True)
    except Exception as e:
        print(label, "failed:", type(e).__name__, e, flush=True)
