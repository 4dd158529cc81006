"""Python's xmlrpc.client calls a Go server, for lesson 02's exercises.

Usage: py_calls.py URL power|divide|gzip

Prints one line per call: the result, or the fault's code and text.
"""
import sys
import xmlrpc.client


def call(label, fn):
    try:
        print(label, '->', repr(fn()), flush=True)
    except xmlrpc.client.Fault as f:
        print(label, 'Fault', f.faultCode, f.faultString, flush=True)
    except xmlrpc.client.ProtocolError as e:
        print(label, 'ProtocolError', e.errcode, e.errmsg, flush=True)


url, mode = sys.argv[1], sys.argv[2]
if mode == 'gzip':
    transport = xmlrpc.client.Transport()
    transport.encode_threshold = 0  # gzip every request body
    server = xmlrpc.client.ServerProxy(url, transport=transport)
else:
    server = xmlrpc.client.ServerProxy(url)

if mode == 'power':
    call('listed', lambda: 'power' in server.system.listMethods())
    call('help', lambda: server.system.methodHelp('power'))
    call('power(2, 10)', lambda: server.power(2, 10))
    call('power(2, -1)', lambda: server.power(2, -1))
elif mode == 'divide':
    call('divide(7, 2)', lambda: server.divide(7, 2))
    call('divide(1, 0)', lambda: server.divide(1, 0))
elif mode == 'gzip':
    call('add(2, 3)', lambda: server.add(2, 3))
