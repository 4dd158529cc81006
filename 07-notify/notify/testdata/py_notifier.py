"""A real oslo.messaging notifier, as nova-compute uses it.

usage: py_notifier.py TRANSPORT_URL DRIVER

Sends one notification per priority, each with a request context, and
prints a SENT line for each, then DONE.
"""
import sys

from oslo_config import cfg
import oslo_messaging

url, driver = sys.argv[1], sys.argv[2]

transport = oslo_messaging.get_notification_transport(cfg.CONF, url=url)
notifier = oslo_messaging.Notifier(transport, publisher_id='compute.py-host',
                                   driver=driver, topics=['notifications'])
ctxt = {'user_id': 'u-py', 'request_id': 'req-py-1', 'roles': ['admin'],
        'auth_token': 'secret-must-not-travel'}

for priority in ['audit', 'debug', 'info', 'warn', 'error', 'critical',
                 'sample']:
    event_type = 'compute.instance.%s' % priority
    payload = {'instance_id': 'i-py', 'priority_seen': priority,
               'size': 42, 'tags': ['a', 'b'], 'name': 'caf\u00e9'}
    getattr(notifier, priority)(ctxt, event_type, payload)
    print('SENT', priority, event_type, flush=True)

# prepare() gives the same notifier another publisher id.
notifier.prepare(publisher_id='compute.other').info(
    ctxt, 'compute.instance.prepared', {'ok': True})
print('SENT info compute.instance.prepared', flush=True)

transport.cleanup()
print('DONE', flush=True)
