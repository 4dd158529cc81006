"""A zerorpc server written from the wire spec with pyzmq and msgpack.

It plays zerorpc-python's part against the Go client: a ROUTER socket
answering add (OK), count (a stream honouring _zpc_more credit) and slow
(a reply after 1 s, with heartbeats every 0.2 s meanwhile; it answers
how many heartbeats the client sent); anything else is a NameError.
It prints READY <endpoint>, then REQUEST <hex> for every call.
"""
import itertools
import time
import uuid

import msgpack
import zmq

HB = 0.2
sock = zmq.Context.instance().socket(zmq.ROUTER)
sock.setsockopt(zmq.LINGER, 0)
port = sock.bind_to_random_port('tcp://127.0.0.1')
print('READY tcp://127.0.0.1:%d' % port, flush=True)

base = uuid.uuid4().hex[8:]
counter = itertools.count(1)
channels = {}  # message id -> state of an open call


def emit(ident, channel, name, args):
    header = {'message_id': ('%08x%s' % (next(counter), base)).encode(),
              'v': 3, 'response_to': channel}
    sock.send_multipart([ident, b'', msgpack.packb([header, name, args], use_bin_type=True)])


def pump_stream(ch):
    while ch['credit'] > 0 and ch['next'] <= ch['n']:
        if ch['next'] == ch['n']:
            emit(ch['ident'], ch['id'], 'STREAM_DONE', None)
            del channels[ch['id']]
            return
        emit(ch['ident'], ch['id'], 'STREAM', ch['next'])
        ch['next'] += 1
        ch['credit'] -= 1


while True:
    now = time.time()
    for ch in list(channels.values()):
        if ch['kind'] == 'slow':
            if now >= ch['reply_at']:
                emit(ch['ident'], ch['id'], 'OK', [ch['client_beats']])
                del channels[ch['id']]
            elif now >= ch['next_hb']:
                emit(ch['ident'], ch['id'], '_zpc_hb', [0])
                ch['next_hb'] += HB
    if not sock.poll(20):
        continue
    frames = sock.recv_multipart()
    ident, payload = frames[0], frames[-1]
    assert len(frames) == 3 and frames[1] == b'', 'no empty delimiter: %r' % frames
    header, name, args = msgpack.unpackb(payload, raw=False)
    if 'response_to' in header:
        ch = channels.get(header['response_to'])
        if ch is None:
            continue
        if name == '_zpc_hb':
            ch['client_beats'] += 1
        elif name == '_zpc_more':
            ch['credit'] += args[0]
            pump_stream(ch)
        continue
    print('REQUEST', payload.hex(), type(header['message_id']).__name__, flush=True)
    msgid = header['message_id']
    if name == 'add':
        emit(ident, msgid, 'OK', [args[0] + args[1]])
    elif name == 'count':
        channels[msgid] = {'kind': 'count', 'ident': ident, 'id': msgid, 'n': args[0],
                           'next': 0, 'credit': 1, 'client_beats': 0}
        pump_stream(channels[msgid])
    elif name == 'slow':
        channels[msgid] = {'kind': 'slow', 'ident': ident, 'id': msgid,
                           'reply_at': time.time() + 1.0, 'next_hb': time.time() + HB,
                           'client_beats': 0}
    else:
        emit(ident, msgid, 'ERR', ['NameError', name, None])
