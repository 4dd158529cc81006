"""A zerorpc client written from the wire spec with pyzmq and msgpack.

It plays zerorpc-python's part against the Go server: a DEALER socket,
events [header, name, args] packed with use_bin_type=True, 32-byte bin
message ids, credit granted as zerorpc's BufferedChannel does, and
heartbeats on the open channel. Usage: pyclient.py ENDPOINT
"""
import itertools
import sys
import time
import uuid

import msgpack
import zmq

endpoint = sys.argv[1]
sock = zmq.Context.instance().socket(zmq.DEALER)
sock.setsockopt(zmq.LINGER, 0)
sock.connect(endpoint)

base = uuid.uuid4().hex[8:]
counter = itertools.count(1)


def new_id():
    return ('%08x%s' % (next(counter), base)).encode()


def send(name, args, response_to=None, msgid=None):
    header = {'message_id': msgid if msgid is not None else new_id(), 'v': 3}
    if response_to is not None:
        header['response_to'] = response_to
    sock.send_multipart([b'', msgpack.packb([header, name, args], use_bin_type=True)])
    return header['message_id']


def recv(timeout=5.0):
    """The next event, or None after timeout seconds."""
    if not sock.poll(int(timeout * 1000)):
        return None
    frames = sock.recv_multipart()
    assert len(frames) == 2 and frames[0] == b'', frames
    header, name, args = msgpack.unpackb(frames[1], raw=False)
    return header, name, args


def reply(channel, timeout=5.0):
    """The next event on channel that is not a heartbeat."""
    while True:
        ev = recv(timeout)
        if ev is None:
            sys.exit('no reply on channel %r' % channel)
        header, name, args = ev
        assert header['response_to'] == channel, header
        if name != '_zpc_hb':
            return ev


def call(name, *args, msgid=None):
    channel = send(name, list(args), msgid=msgid)
    return reply(channel)


# 1. add(2, 3): OK [5], response_to echoed as bin, header keys in order.
header, name, args = call('add', 2, 3)
print('add', name, args, type(header['response_to']).__name__, list(header))

# 2. A str message id is echoed as str.
header, name, args = call('add', 1, 2, msgid='00000006-str-msgid')
print('str-id', name, args, type(header['response_to']).__name__)

# 3. Errors: [name, message, traceback or None].
print('divide', *call('divide', 1, 0)[1:])
print('nosuch', *call('nosuch')[1:])

# 4. A stream of 150 items, with credit as BufferedChannel grants it.
channel = send('count', [150])
reserved, verbose, items = 1, False, []
while True:
    if verbose:
        if reserved < 50:
            send('_zpc_more', [100 - reserved], response_to=channel)
            reserved = 100
    else:
        verbose = True
    header, name, args = reply(channel)
    reserved -= 1
    if name == 'STREAM_DONE':
        break
    assert name == 'STREAM', name
    items.append(args)
print('count', len(items), 'items', items == list(range(150)))

# 5. A call longer than the heartbeat interval: we heartbeat the channel
# every 0.2 s and count the server's heartbeats until the reply.
channel = send('sleep', [1500])
server_beats, next_beat = 0, time.time() + 0.2
while True:
    ev = recv(0.05)
    if time.time() >= next_beat:
        send('_zpc_hb', [0], response_to=channel)
        next_beat += 0.2
    if ev is None:
        continue
    header, name, args = ev
    if name == '_zpc_hb':
        server_beats += 1
        continue
    print('sleep', name, args, 'server heartbeats', server_beats)
    break

# 6. The same call without our heartbeats: the server declares us lost
# and drops the call; no reply comes.
channel = send('sleep', [1500])
deadline, answered = time.time() + 2.5, None
while time.time() < deadline:
    ev = recv(0.1)
    if ev and ev[1] != '_zpc_hb':
        answered = ev[1]
print('silent caller answered:', answered)

# 7. Introspection.
print('ping', *call('_zerorpc_ping')[2:])
inspect = call('_zerorpc_inspect')[2][0]
print('inspect', inspect['name'], sorted(inspect['methods'])[:3], inspect['methods']['add'])
print('DONE')
