"""A ZeroMQ ROUTER that reads calls and never answers them, not even
with a heartbeat: the zerorpc peer of a server that hangs. Ctrl-C stops it.
Usage: silent_server.py ENDPOINT
"""
import signal
import sys

import zmq

signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
sock = zmq.Context.instance().socket(zmq.ROUTER)
sock.setsockopt(zmq.LINGER, 0)
sock.bind(sys.argv[1])
print('silent on', sys.argv[1], flush=True)
signal.sigwait({signal.SIGINT, signal.SIGTERM})
