// Request/reply on RabbitMQ written directly on amqp091-go: the raw
// round trip (the floor for every broker approach) and RPC with direct
// reply-to (amq.rabbitmq.reply-to).
//
// Both send the request to a queue through the default exchange and
// match replies to callers by correlation id, so one connection carries
// many calls at once. They differ in the reply path and the payload:
//
//   - raw: 16 bytes each way, replies to a queue the client declared;
//   - direct reply-to: JSON {"x":2,"y":3} → {"result":5}, replies to
//     the pseudo-queue amq.rabbitmq.reply-to, which needs no queue at
//     all. RabbitMQ requires the client to publish on the channel that
//     consumes amq.rabbitmq.reply-to, so here (and only here) one
//     channel both consumes and publishes, publishing under a lock.

package main

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

const (
	rawQueue    = "bench.raw"
	directQueue = "bench.direct"
	directReply = "amq.rabbitmq.reply-to"
)

// amqpRPCClient is the calling side of both systems.
type amqpRPCClient struct {
	raw     bool
	conn    *amqp.Connection
	pub     *amqp.Channel // publishing channel, used under mu
	mu      sync.Mutex
	queue   string // where requests go
	replyTo string // where replies come back

	next    atomic.Uint64
	pmu     sync.Mutex
	pending map[string]chan []byte
	closed  error
	done    chan struct{}
}

func dialAMQPRaw(ctx context.Context, e *env, _ string) (Client, error) {
	return dialAMQPRPC(ctx, e.amqpURL, true)
}

func dialAMQPDirect(ctx context.Context, e *env, _ string) (Client, error) {
	return dialAMQPRPC(ctx, e.amqpURL, false)
}

func dialAMQPRPC(_ context.Context, url string, raw bool) (*amqpRPCClient, error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("dial broker: %w", err)
	}
	c := &amqpRPCClient{raw: raw, conn: conn, pending: map[string]chan []byte{}, done: make(chan struct{})}
	sub, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("open channel: %w", err)
	}
	var deliveries <-chan amqp.Delivery
	if raw {
		c.queue = rawQueue
		q, err := sub.QueueDeclare("", false, true, true, false, nil)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("declare reply queue: %w", err)
		}
		c.replyTo = q.Name
		deliveries, err = sub.Consume(q.Name, "", true, true, false, false, nil)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("consume replies: %w", err)
		}
		if c.pub, err = conn.Channel(); err != nil {
			conn.Close()
			return nil, fmt.Errorf("open channel: %w", err)
		}
	} else {
		c.queue = directQueue
		c.replyTo = directReply
		// Direct reply-to: consume the pseudo-queue (auto-ack is
		// required) and publish on this same channel.
		deliveries, err = sub.Consume(directReply, "", true, false, false, false, nil)
		if err != nil {
			conn.Close()
			return nil, fmt.Errorf("consume %s: %w", directReply, err)
		}
		c.pub = sub
	}
	go c.dispatch(deliveries)
	return c, nil
}

// dispatch hands each reply to the caller waiting for its id.
func (c *amqpRPCClient) dispatch(deliveries <-chan amqp.Delivery) {
	for d := range deliveries {
		c.pmu.Lock()
		ch := c.pending[d.CorrelationId]
		delete(c.pending, d.CorrelationId)
		c.pmu.Unlock()
		if ch != nil {
			ch <- d.Body
		}
	}
	c.pmu.Lock()
	c.closed = errors.New("reply consumer closed")
	c.pmu.Unlock()
	close(c.done)
}

func (c *amqpRPCClient) Add(ctx context.Context, x, y int) (int, error) {
	var body []byte
	if c.raw {
		body = make([]byte, rawMsgSize)
		binary.LittleEndian.PutUint64(body[0:8], uint64(x))
		binary.LittleEndian.PutUint64(body[8:16], uint64(y))
	} else {
		var err error
		if body, err = json.Marshal(addArgs{x, y}); err != nil {
			return 0, err
		}
	}
	reply, err := c.roundTrip(ctx, body)
	if err != nil {
		return 0, err
	}
	if c.raw {
		if len(reply) != rawMsgSize {
			return 0, fmt.Errorf("raw reply of %d bytes", len(reply))
		}
		return checkSum(int(int64(binary.LittleEndian.Uint64(reply[0:8]))), nil)
	}
	var r addResult
	if err := json.Unmarshal(reply, &r); err != nil {
		return 0, fmt.Errorf("decode reply: %w", err)
	}
	return checkSum(r.Result, nil)
}

// roundTrip publishes body as a request and waits for its reply.
func (c *amqpRPCClient) roundTrip(ctx context.Context, body []byte) ([]byte, error) {
	id := strconv.FormatUint(c.next.Add(1), 10)
	wait := make(chan []byte, 1)
	c.pmu.Lock()
	if c.closed != nil {
		c.pmu.Unlock()
		return nil, c.closed
	}
	c.pending[id] = wait
	c.pmu.Unlock()
	forget := func() {
		c.pmu.Lock()
		delete(c.pending, id)
		c.pmu.Unlock()
	}

	c.mu.Lock()
	err := c.pub.PublishWithContext(ctx, "", c.queue, false, false, amqp.Publishing{
		CorrelationId: id,
		ReplyTo:       c.replyTo,
		Body:          body,
	})
	c.mu.Unlock()
	if err != nil {
		forget()
		return nil, fmt.Errorf("publish: %w", err)
	}

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	select {
	case reply := <-wait:
		return reply, nil
	case <-c.done:
		return nil, errors.New("connection closed")
	case <-ctx.Done():
		forget()
		return nil, ctx.Err()
	}
}

func (c *amqpRPCClient) Close() error { return c.conn.Close() }

// serveAMQPRPC is the serving side: consume requests (auto-ack), and
// publish each answer on a second channel to the request's ReplyTo.
// It returns once the queue is declared and consumed.
func serveAMQPRPC(ctx context.Context, url string, raw bool) (func(), error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("dial broker: %w", err)
	}
	sub, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, err
	}
	pub, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, err
	}
	queue := directQueue
	if raw {
		queue = rawQueue
	}
	if _, err := sub.QueueDeclare(queue, false, false, false, false, nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("declare %s: %w", queue, err)
	}
	if _, err := sub.QueuePurge(queue, false); err != nil {
		conn.Close()
		return nil, fmt.Errorf("purge %s: %w", queue, err)
	}
	deliveries, err := sub.Consume(queue, "", true, false, false, false, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("consume %s: %w", queue, err)
	}
	go func() {
		for d := range deliveries {
			var reply []byte
			if raw {
				reply = d.Body
				if len(reply) == rawMsgSize {
					x := int64(binary.LittleEndian.Uint64(reply[0:8]))
					y := int64(binary.LittleEndian.Uint64(reply[8:16]))
					binary.LittleEndian.PutUint64(reply[0:8], uint64(x+y))
					binary.LittleEndian.PutUint64(reply[8:16], 0)
				}
			} else {
				var a addArgs
				if err := json.Unmarshal(d.Body, &a); err != nil {
					continue
				}
				reply, _ = json.Marshal(addResult{a.X + a.Y})
			}
			_ = pub.PublishWithContext(ctx, "", d.ReplyTo, false, false, amqp.Publishing{
				CorrelationId: d.CorrelationId,
				Body:          reply,
			})
		}
	}()
	return func() { conn.Close() }, nil
}

// drainQueue waits until queue holds no ready message, checking
// with a passive declare on a connection of its own (to url, the
// broker itself, never through the byte-counting proxy).
func drainQueue(ctx context.Context, url, queue string) error {
	conn, err := amqp.Dial(url)
	if err != nil {
		return fmt.Errorf("drain: dial: %w", err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	for {
		q, err := ch.QueueDeclarePassive(queue, false, false, false, false, nil)
		if err != nil {
			return fmt.Errorf("drain: inspect %s: %w", queue, err)
		}
		if q.Messages == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("drain %s: %d messages left: %w", queue, q.Messages, ctx.Err())
		case <-time.After(2 * time.Millisecond):
		}
	}
}
