"""Publish one message to the compose broker and consume it back (pika, as in the article)."""
import sys
import time

import pika

url = sys.argv[1] if len(sys.argv) > 1 else "amqp://guest:guest@127.0.0.1:5672/%2F"
deadline = time.time() + 120
while True:
    try:
        conn = pika.BlockingConnection(pika.URLParameters(url))
        break
    except Exception as exc:  # the broker is still starting
        if time.time() > deadline:
            sys.exit(f"broker never answered on {url}: {exc}")
        time.sleep(1)

ch = conn.channel()
ch.queue_declare(queue="compose-smoke")
ch.basic_publish(exchange="", routing_key="compose-smoke", body=b"Hello World!")
for _ in range(50):
    method, _props, body = ch.basic_get(queue="compose-smoke", auto_ack=True)
    if method:
        print(f"compose smoke: published and consumed {body.decode()!r}")
        break
    time.sleep(0.1)
else:
    sys.exit("compose smoke: the message never came back")
ch.queue_delete(queue="compose-smoke")
conn.close()
