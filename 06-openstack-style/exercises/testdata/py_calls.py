"""oslo.messaging's own RPCClient, as in the article, for lesson 06's
exercises.

Usage: py_calls.py TRANSPORT_URL version|admin

version: the article's call, on a target prepared with version 2.0:
    client.prepare(version='2.0').call(ctxt, 'test', arg='hello')
admin: reboot, once as an admin and once as not.

Prints one line per call: the result, or the exception's class and text.
"""
import sys

from oslo_config import cfg
import oslo_messaging


def call(label, client, ctxt, method, **kwargs):
    try:
        print(label, '->', repr(client.call(ctxt, method, **kwargs)), flush=True)
    except oslo_messaging.RemoteError as e:
        print(label, 'RemoteError', e.exc_type, str(e.value).splitlines()[0], flush=True)
    except Exception as e:  # a re-raised builtin, or a timeout
        print(label, type(e).__name__, str(e).splitlines()[0], flush=True)


url, mode = sys.argv[1], sys.argv[2]
transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=url)
client = oslo_messaging.RPCClient(transport, oslo_messaging.Target(topic='test'), timeout=20)
if mode == 'version':
    call('test', client.prepare(version='2.0'), {}, 'test', arg='hello')
elif mode == 'admin':
    call('alice', client, {'user': 'alice', 'roles': ['admin']}, 'reboot')
    call('bob', client, {'user': 'bob', 'roles': ['member']}, 'reboot')
transport.cleanup()
