"""A real oslo.messaging RPC client calling the Go server.

Usage: python3 py_client.py rabbit://user:pass@host:port/vhost

Each line it prints is checked by python_test.go.
"""
import json
import sys

from oslo_config import cfg
import oslo_messaging as messaging


def first_line(exc):
    return str(exc).splitlines()[0]


def main(url):
    transport = messaging.get_rpc_transport(cfg.CONF, url=url)
    client = messaging.RPCClient(transport, messaging.Target(topic='test'), timeout=20)
    ctxt = {'user': 'py', 'request_id': 'req-py'}

    # Calls: the article's test(arg) returns arg.
    print('CALL test ->', repr(client.call(ctxt, 'test', arg='hello')))
    print('CALL test dict ->', json.dumps(client.call(ctxt, 'test', arg={'k': [1, 2]}), sort_keys=True))
    print('CALL add ->', client.call(ctxt, 'add', x=2, y=3))
    print('CALL server02 ->', client.prepare(server='server02').call(ctxt, 'whoami'))
    print('CALL context ->', json.dumps(client.call(ctxt, 'user'), sort_keys=True))

    # Call monitoring: the Go server's heartbeats keep a 2 s monitor
    # alive through a 2.5 s call.
    slow = client.prepare(call_monitor_timeout=2, timeout=20)
    print('CALL monitored ->', repr(slow.call(ctxt, 'nap', arg='slow')))

    # Failures: builtins come back as themselves, others as RemoteError.
    try:
        client.call(ctxt, 'divide', x=1, y=0)
    except ZeroDivisionError as e:
        print('RAISED ZeroDivisionError', first_line(e))
    try:
        client.call(ctxt, 'value')
    except ValueError as e:
        print('RAISED ValueError', first_line(e))
    try:
        client.call(ctxt, 'test')
    except TypeError as e:
        print('RAISED TypeError', first_line(e))
    for method, kwargs in (('plain', {}), ('reboot', {})):
        try:
            client.call(ctxt, method, **kwargs)
        except messaging.RemoteError as e:
            print('REMOTE', e.exc_type, e.value)
    try:
        client.prepare(version='1.9').call(ctxt, 'test', arg='x')
    except messaging.RemoteError as e:
        print('REMOTE', e.exc_type, e.value)

    # Casts: one server, then every server.
    client.cast(ctxt, 'test', arg='py-cast')
    client.prepare(fanout=True).cast(ctxt, 'test', arg='py-fanout')
    print('CAST sent')

    transport.cleanup()
    print('DONE')


if __name__ == '__main__':
    main(sys.argv[1])
