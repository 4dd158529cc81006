"""The article's server (8.9.6), runnable: TestEndpoint and
ServerControlEndpoint on topic `test` as server `server1`, for the Go client
to call.

    /usr/bin/python3 06-openstack-style/python/server.py

The broker comes from TRANSPORT_URL or AMQP_URL, as in client.py. oslo 14
has no 'blocking' executor any more, so this uses 'threading'.
"""
import os
import time

from oslo_config import cfg
import oslo_messaging


def transport_url():
    url = os.environ.get('TRANSPORT_URL') or os.environ.get('AMQP_URL') \
        or 'rabbit://guest:guest@127.0.0.1:5672/'
    if url.startswith('amqp://'):
        url = 'rabbit://' + url[len('amqp://'):]
    return url


class ServerControlEndpoint(object):
    target = oslo_messaging.Target(namespace='control', version='2.0')

    def __init__(self, server):
        self.server = server

    def stop(self, ctx):
        if self.server:
            self.server.stop()


class TestEndpoint(object):

    def test(self, ctx, arg):
        print('python server1: test(arg=%r)' % (arg,), flush=True)
        return arg


transport = oslo_messaging.get_rpc_transport(cfg.CONF, url=transport_url())
target = oslo_messaging.Target(topic='test', server='server1')
endpoints = [
    ServerControlEndpoint(None),
    TestEndpoint(),
]
server = oslo_messaging.get_rpc_server(transport, target, endpoints, executor='threading')
try:
    server.start()
    print("python server1: serving topic 'test'", flush=True)
    while True:
        time.sleep(1)
except KeyboardInterrupt:
    print('Stopping server', flush=True)

server.stop()
server.wait()
transport.cleanup()
