"""A real oslo.messaging notification listener, as ceilometer runs it.

usage: py_listener.py TRANSPORT_URL COUNT [POOL]

Prints READY once its queues are bound, then one JSON line per
notification (EVENT {...}) with everything the endpoint got, and
exits after COUNT notifications (COUNT 0: at Ctrl-C).
"""
import json
import signal
import sys
import threading

from oslo_config import cfg
import oslo_messaging

url, count = sys.argv[1], int(sys.argv[2])
pool = sys.argv[3] if len(sys.argv) > 3 else None

seen = []
done = threading.Event()
lock = threading.Lock()


class Endpoint(object):
    def _record(self, priority, ctxt, publisher_id, event_type, payload,
                metadata):
        line = 'EVENT ' + json.dumps({
            'priority': priority, 'ctxt': ctxt,
            'publisher_id': publisher_id, 'event_type': event_type,
            'payload': payload, 'metadata': metadata}, sort_keys=True)
        # The threading executor calls endpoints from several threads:
        # one lock, one write per line, or lines get mixed up.
        with lock:
            sys.stdout.write(line + '\n')
            sys.stdout.flush()
            seen.append(event_type)
            if count and len(seen) >= count:
                done.set()


for _prio in ['audit', 'debug', 'info', 'warn', 'error', 'critical',
              'sample']:
    setattr(Endpoint, _prio,
            (lambda p: lambda self, *args: self._record(p, *args))(_prio))

transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
listener = oslo_messaging.get_notification_listener(
    transport, [oslo_messaging.Target(topic='notifications')], [Endpoint()],
    executor='threading', pool=pool)
signal.signal(signal.SIGINT, lambda *_: done.set())
signal.signal(signal.SIGTERM, lambda *_: done.set())
listener.start()
print('READY', flush=True)
for _ in range(600 if count else 10 ** 9):
    if done.wait(0.1):
        break
listener.stop()
listener.wait()
transport.cleanup()
print('DONE %d' % len(seen), flush=True)
