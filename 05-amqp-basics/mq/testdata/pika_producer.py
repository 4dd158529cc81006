# The article's producer, with the broker from the command line instead
# of hard-coded credentials: python3 pika_producer.py URL QUEUE BODY
import sys

import pika


def productor(url, queue, body):
    connection = pika.BlockingConnection(pika.URLParameters(url))
    chanel = connection.channel()
    chanel.queue_declare(queue=queue)
    chanel.basic_publish(exchange='', routing_key=queue, body=body)
    print('SENT', body, flush=True)
    connection.close()


if __name__ == '__main__':
    productor(sys.argv[1], sys.argv[2], sys.argv[3])
