"""The article's interactive session, as a script (Python 3).

Usage: py_session.py [URL]   (default http://127.0.0.1:8088)
"""
import sys
import xmlrpc.client

url = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8088"
server = xmlrpc.client.ServerProxy(url)

print("add(2, 3) =", server.add(2, 3))
print("multiply(2, 3) =", server.multiply(2, 3))
print("subtract(2, 3) =", server.subtract(2, 3))
print("divide(2, 3) =", server.divide(2, 3))
try:
    server.divide(1, 0)
except xmlrpc.client.Fault as fault:
    print("divide(1, 0) raised", repr(fault))
