"""Python's ServerProxy calls the Go server (lesson 02 interop test).

Usage: py_client.py URL
Every line printed is checked by interop_test.go.
"""
import datetime
import http.client
import sys
import urllib.parse
import xmlrpc.client

url = sys.argv[1]
proxy = xmlrpc.client.ServerProxy(url, allow_none=True, use_builtin_types=True)

# Every XML-RPC type goes to the Go server's `echo` and must come back
# equal, with the same Python type.
values = {
    "int": 42,
    "min int": -2147483648,
    "max int": 2147483647,
    "true": True,
    "false": False,
    "string": "hello <xml> & 'quotes' \u00e9 \u4e2d \U0001F600",
    "empty string": "",
    "double": 3.25,
    "tiny double": 1e-300,
    "negative double": -0.5,
    "dateTime": datetime.datetime(1998, 7, 17, 14, 8, 55),
    "base64": bytes(range(256)),
    "struct": {"a": 1, "nested": {"b": [1, "two", 3.0]}},
    "array": [1, "two", 3.0, False, None, [], {}],
    "empty array": [],
    "empty struct": {},
    "nil": None,
}
for name, value in values.items():
    got = proxy.echo(value)
    same = got == value and type(got) is type(value)
    print("ECHO", name, "ok" if same else "MISMATCH %r != %r" % (got, value))

# The article's session.
for method in ("add", "multiply", "subtract", "divide"):
    print("CALL %s(2, 3) = %r" % (method, getattr(proxy, method)(2, 3)))
print("CALL hello() = %r" % proxy.hello())

# Faults arrive as xmlrpc.client.Fault with the Go server's code.
def fault(label, call):
    try:
        result = call()
    except xmlrpc.client.Fault as f:
        print("FAULT %s %d %s" % (label, f.faultCode, f.faultString))
    else:
        print("NO FAULT %s: %r" % (label, result))

fault("divide", lambda: proxy.divide(1, 0))
fault("unknown", lambda: proxy.nosuch(1))
fault("count", lambda: proxy.add(1))
fault("type", lambda: proxy.add("a", 1))
fault("overflow", lambda: proxy.add(2147483647, 1))

# Introspection.
print("LIST", " ".join(proxy.system.listMethods()))
print("SIGNATURE", proxy.system.methodSignature("add"))
print("HELP", proxy.system.methodHelp("subtract"))

# MultiCall batches calls into one system.multicall request.
multi = xmlrpc.client.MultiCall(proxy)
multi.add(2, 3)
multi.divide(1, 0)
multi.hello()
results = multi()
print("MULTI 0", results[0])
fault("multi 1", lambda: results[1])
print("MULTI 2", results[2])

# A value with no type element is a string (sent by hand: Python's
# marshaller always writes <string>).
parts = urllib.parse.urlsplit(url)
conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
conn.request("POST", parts.path or "/RPC2",
             "<?xml version='1.0'?><methodCall><methodName>echo</methodName>"
             "<params><param><value>untyped</value></param></params></methodCall>",
             {"Content-Type": "text/xml"})
resp = conn.getresponse()
print("UNTYPED", resp.status, xmlrpc.client.loads(resp.read())[0])
print("DONE")
