# The article's consumer: python3 pika_consumer.py URL QUEUE COUNT
# Acks after handling (the article's no_ack line left out), prints
# RECEIVED <body> per message, exits after COUNT or 30 s of silence.
import sys

import pika


def consumer(url, queue, count):
    connection = pika.BlockingConnection(pika.URLParameters(url))
    channel = connection.channel()
    channel.queue_declare(queue=queue)
    channel.basic_qos(prefetch_count=1)
    got = 0
    for method, properties, body in channel.consume(queue, inactivity_timeout=30):
        if method is None:
            print('TIMEOUT after', got, 'messages', flush=True)
            sys.exit(1)
        print('RECEIVED', body.decode(), flush=True)
        channel.basic_ack(method.delivery_tag)
        got += 1
        if got == count:
            break
    channel.cancel()
    connection.close()


if __name__ == '__main__':
    consumer(sys.argv[1], sys.argv[2], int(sys.argv[3]))
