"""A real oslo.messaging RPC server for the Go client to call.

Usage: python3 py_server.py rabbit://user:pass@host:port/vhost

It serves topic `pytest` as server `py1`, prints READY, prints a CAST line
for each cast it gets, and stops on SIGTERM.
"""
import signal
import sys
import threading
import time

from oslo_config import cfg
import oslo_messaging as messaging


class PythonFailure(Exception):
    pass


class TestEndpoint(object):
    def test(self, ctx, arg):
        return arg

    def record(self, ctx, arg):
        print('CAST', arg, flush=True)

    def context(self, ctx):
        return ctx

    def fail(self, ctx):
        raise ValueError('python says no')

    def custom(self, ctx):
        raise PythonFailure('custom python failure')

    def nap(self, ctx, arg):
        time.sleep(2.5)
        return arg


class Calculator(object):
    def add(self, ctx, x, y):
        return x + y

    def subtract(self, ctx, x, y):
        return abs(x - y)

    def multiply(self, ctx, x, y):
        return x * y

    def divide(self, ctx, x, y):
        return x // y


def main(url):
    transport = messaging.get_rpc_transport(cfg.CONF, url=url)
    target = messaging.Target(topic='pytest', server='py1')
    server = messaging.get_rpc_server(transport, target, [TestEndpoint(), Calculator()],
                                      executor='threading')
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    server.start()
    print('READY', flush=True)
    while not done.is_set():
        time.sleep(0.1)
    server.stop()
    server.wait()
    transport.cleanup()


if __name__ == '__main__':
    main(sys.argv[1])
