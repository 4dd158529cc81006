"""The article's client (8.9.6), runnable: it calls test(arg=...) on topic
`test`, which a Go server answers.

    /usr/bin/python3 06-openstack-style/python/client.py hello

The broker comes from TRANSPORT_URL, or AMQP_URL (amqp:// is rewritten to
oslo's rabbit://), default rabbit://guest:guest@127.0.0.1:5672/.
"""
import os
import sys

from oslo_config import cfg
import oslo_messaging


def transport_url():
    url = os.environ.get('TRANSPORT_URL') or os.environ.get('AMQP_URL') \
        or 'rabbit://guest:guest@127.0.0.1:5672/'
    if url.startswith('amqp://'):
        url = 'rabbit://' + url[len('amqp://'):]
    return url


# The article writes get_transport(cfg.CONF, url="") and leaves the URL to
# you; this is that line with a URL. (The article's client also sets
# version='2.0', which the default-version TestEndpoint refuses: see the
# README.)
transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=transport_url())
target = oslo_messaging.Target(topic='test')
client = oslo_messaging.RPCClient(transport, target, timeout=30)

arg = sys.argv[1] if len(sys.argv) > 1 else 'hello'
ctxt = {}
print('call test(arg=%r) -> %r' % (arg, client.call(ctxt, 'test', arg=arg)))
transport.cleanup()
