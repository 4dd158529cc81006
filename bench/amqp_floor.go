// Fair floors for the broker rows: amqp091-go doing the broker work
// the lessons do, with the lessons' own code taken away.
//
// A floor is fair when it carries the same wire. amqp-raw (in
// amqp_rpc.go) is a 16-byte round trip through the default exchange
// with no properties: a smaller job for RabbitMQ than an OpenStack-style
// call. amqp-oslo-raw asks the broker for exactly what oslo-call asks:
//
//   - the request goes to the topic exchange "openstack" with the
//     topic as routing key, persistent, with oslo's content type and
//     encoding, priority 0, empty headers and an expiration of the
//     call's timeout; its body is an oslo 2.0 envelope of the same
//     size as the lesson's (the same JSON, written once as a template);
//   - the server consumes with manual acks and a prefetch of 64 (the
//     pool executor's size) and acks each request before answering;
//   - the reply goes through the default exchange to the caller's
//     reply_... queue (declared with x-expires, consumed with
//     auto-ack), with the same properties and an envelope of the same
//     size;
//   - each side keeps one connection to listen and one to send, as the
//     lesson's transport does, and publishes in confirm mode, as the
//     lesson's publisher does (kombu's confirm_publish): the caller waits
//     for the broker's confirm of its request as well as for the reply.
//
// What it does not do is the lesson's work: no JSON is encoded or
// decoded; the message id is copied into and out of a fixed place in
// the templates.
//
// amqp-publish and amqp-publish-confirm are the one-way floors: a
// notification-sized body published with the notifier's properties to
// the topic exchange, without and with publisher confirms, and
// consumed with manual acks. oslo's notifications use no publisher
// confirms, so amqp-publish is their floor; its casts wait for the
// broker's confirm, so theirs is amqp-publish-confirm.

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

const (
	floorExchange    = "openstack"          // oslo's control_exchange
	floorTopic       = "floor"              // as long as the oslo rows' topic, bench
	floorNotifyQueue = "floor.notification" // as long as notifications.info
	floorPrefetch    = 64
	floorTimeout     = 30 * time.Second // the oslo adapter's call timeout
)

// hex32 is a placeholder for a 32-digit hexadecimal id (oslo's
// uuid4().hex) in the templates.
const hex32 = "00000000000000000000000000000000"

// The bodies, as oslo's 2.0 envelope wraps them (Python's separators,
// the lesson's field order, an empty request context).
var (
	floorRequest = []byte(`{"oslo.version": "2.0", "oslo.message": "{\"method\": \"add\", \"args\": {\"x\": 2, \"y\": 3}, ` +
		`\"_msg_id\": \"` + hex32 + `\", \"_reply_q\": \"reply_` + hex32 + `\", \"_timeout\": null, ` +
		`\"_unique_id\": \"` + hex32 + `\"}"}`)
	floorReply = []byte(`{"oslo.version": "2.0", "oslo.message": "{\"result\": 5, \"failure\": null, \"ending\": true, ` +
		`\"_msg_id\": \"` + hex32 + `\", \"_unique_id\": \"` + hex32 + `\"}"}`)
	// floorNotification is what lesson 07's notifier sends for the
	// bench's INFO event, in size and shape.
	floorNotification = []byte(`{"oslo.version": "2.0", "oslo.message": "{\"message_id\": \"00000000-0000-0000-0000-000000000000\", ` +
		`\"publisher_id\": \"bench.client\", \"event_type\": \"bench.add\", \"priority\": \"INFO\", ` +
		`\"payload\": {\"x\": 2, \"y\": 3}, \"timestamp\": \"2026-12-01 00:00:00.000000\", ` +
		`\"_unique_id\": \"` + hex32 + `\"}"}`)
)

// Where the ids stand in the templates.
var (
	reqMsgID  = bytes.Index(floorRequest, []byte(`_msg_id\": \"`)) + len(`_msg_id\": \"`)
	reqReplyQ = bytes.Index(floorRequest, []byte(`_reply_q\": \"`)) + len(`_reply_q\": \"`)
	repMsgID  = bytes.Index(floorReply, []byte(`_msg_id\": \"`)) + len(`_msg_id\": \"`)
)

// floorProps are oslo's message properties; a call adds expiration.
func floorProps(body []byte, expiration string) amqp.Publishing {
	return amqp.Publishing{
		ContentType:     "application/json",
		ContentEncoding: "utf-8",
		DeliveryMode:    amqp.Persistent,
		Priority:        0,
		Headers:         amqp.Table{},
		Expiration:      expiration,
		Body:            body,
	}
}

// dial2 opens the two connections, one to listen and one to send.
func dial2(url string) (listen, send *amqp.Connection, err error) {
	if listen, err = amqp.Dial(url); err != nil {
		return nil, nil, fmt.Errorf("dial broker: %w", err)
	}
	if send, err = amqp.Dial(url); err != nil {
		listen.Close()
		return nil, nil, fmt.Errorf("dial broker: %w", err)
	}
	return listen, send, nil
}

// osloFloorClient is the calling side of amqp-oslo-raw.
type osloFloorClient struct {
	listen, send *amqp.Connection
	mu           sync.Mutex // the publishing channel, as the lesson's publisher
	pub          *amqp.Channel
	replyQ       string
	next         atomic.Uint64
	pmu          sync.Mutex
	pending      map[string]chan struct{}
	done         chan struct{}
}

func dialOsloFloor(_ context.Context, e *env, _ string) (Client, error) {
	listen, send, err := dial2(e.amqpURL)
	if err != nil {
		return nil, err
	}
	c := &osloFloorClient{listen: listen, send: send, pending: map[string]chan struct{}{}, done: make(chan struct{})}
	fail := func(err error) (Client, error) {
		listen.Close()
		send.Close()
		return nil, err
	}
	sub, err := listen.Channel()
	if err != nil {
		return fail(err)
	}
	c.replyQ = "reply_" + fmt.Sprintf("%032x", time.Now().UnixNano())
	args := amqp.Table{"x-expires": int64(30 * time.Minute / time.Millisecond)}
	if _, err := sub.QueueDeclare(c.replyQ, false, false, false, false, args); err != nil {
		return fail(fmt.Errorf("declare %s: %w", c.replyQ, err))
	}
	deliveries, err := sub.Consume(c.replyQ, "", true, false, false, false, nil)
	if err != nil {
		return fail(fmt.Errorf("consume %s: %w", c.replyQ, err))
	}
	if c.pub, err = send.Channel(); err != nil {
		return fail(err)
	}
	if err := c.pub.Confirm(false); err != nil {
		return fail(fmt.Errorf("confirm mode: %w", err))
	}
	if err := c.pub.ExchangeDeclare(floorExchange, amqp.ExchangeTopic, false, false, false, false, nil); err != nil {
		return fail(fmt.Errorf("declare exchange: %w", err))
	}
	go c.dispatch(deliveries)
	return c, nil
}

// dispatch reads each reply's id from its fixed place and wakes the
// caller waiting for it.
func (c *osloFloorClient) dispatch(deliveries <-chan amqp.Delivery) {
	for d := range deliveries {
		if len(d.Body) != len(floorReply) {
			continue
		}
		id := string(d.Body[repMsgID : repMsgID+32])
		c.pmu.Lock()
		ch := c.pending[id]
		delete(c.pending, id)
		c.pmu.Unlock()
		if ch != nil {
			close(ch)
		}
	}
	close(c.done)
}

func (c *osloFloorClient) Add(ctx context.Context, _, _ int) (int, error) {
	id := fmt.Sprintf("%032x", c.next.Add(1))
	body := bytes.Clone(floorRequest)
	copy(body[reqMsgID:], id)
	copy(body[reqReplyQ:], c.replyQ[len("reply_"):])
	wait := make(chan struct{})
	c.pmu.Lock()
	c.pending[id] = wait
	c.pmu.Unlock()
	forget := func() {
		c.pmu.Lock()
		delete(c.pending, id)
		c.pmu.Unlock()
	}
	// Publish under the lock, wait for the confirm outside it, as the
	// lesson's publisher does.
	c.mu.Lock()
	dc, err := c.pub.PublishWithDeferredConfirmWithContext(ctx, floorExchange, floorTopic, false, false,
		floorProps(body, fmt.Sprint(floorTimeout.Milliseconds())))
	c.mu.Unlock()
	if err != nil {
		forget()
		return 0, fmt.Errorf("publish: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, floorTimeout)
	defer cancel()
	if ok, err := dc.WaitContext(ctx); err != nil || !ok {
		forget()
		return 0, fmt.Errorf("publish not confirmed: %v", err)
	}
	select {
	case <-wait:
		return 5, nil
	case <-c.done:
		return 0, errors.New("reply consumer closed")
	case <-ctx.Done():
		forget()
		return 0, ctx.Err()
	}
}

func (c *osloFloorClient) Close() error {
	c.send.Close()
	return c.listen.Close()
}

// serveOsloFloor is the serving side of amqp-oslo-raw.
func serveOsloFloor(ctx context.Context, url string) (func(), error) {
	listen, send, err := dial2(url)
	if err != nil {
		return nil, err
	}
	stop := func() { listen.Close(); send.Close() }
	sub, err := listen.Channel()
	if err != nil {
		stop()
		return nil, err
	}
	if err := sub.Qos(floorPrefetch, 0, false); err != nil {
		stop()
		return nil, err
	}
	if err := declareFloorQueue(sub, floorTopic); err != nil {
		stop()
		return nil, err
	}
	// A consumer tag as long as the lesson's (server:topic:8 hex digits).
	deliveries, err := sub.Consume(floorTopic, "s1:floor:00000000", false, false, false, false, nil)
	if err != nil {
		stop()
		return nil, fmt.Errorf("consume %s: %w", floorTopic, err)
	}
	pub, err := send.Channel()
	if err != nil {
		stop()
		return nil, err
	}
	if err := pub.Confirm(false); err != nil {
		stop()
		return nil, fmt.Errorf("confirm mode: %w", err)
	}
	go func() {
		for d := range deliveries {
			if err := d.Ack(false); err != nil || len(d.Body) != len(floorRequest) {
				continue
			}
			reply := bytes.Clone(floorReply)
			copy(reply[repMsgID:], d.Body[reqMsgID:reqMsgID+32])
			replyQ := "reply_" + string(d.Body[reqReplyQ:reqReplyQ+32])
			// The broker confirms each reply, as it does the lesson's; the
			// caller already has it, so nothing here waits for that.
			_, _ = pub.PublishWithDeferredConfirmWithContext(ctx, "", replyQ, false, false, floorProps(reply, ""))
		}
	}()
	return stop, nil
}

// declareFloorQueue declares the topic exchange and a queue bound to
// it under its own name, as oslo does for a topic, and empties it.
func declareFloorQueue(ch *amqp.Channel, q string) error {
	if err := ch.ExchangeDeclare(floorExchange, amqp.ExchangeTopic, false, false, false, false, nil); err != nil {
		return fmt.Errorf("declare exchange: %w", err)
	}
	if _, err := ch.QueueDeclare(q, false, false, false, false, nil); err != nil {
		return fmt.Errorf("declare %s: %w", q, err)
	}
	if err := ch.QueueBind(q, q, floorExchange, false, nil); err != nil {
		return fmt.Errorf("bind %s: %w", q, err)
	}
	if _, err := ch.QueuePurge(q, false); err != nil {
		return fmt.Errorf("purge %s: %w", q, err)
	}
	return nil
}

// publishFloorClient is the one-way floor: publish a notification-sized
// body, with or without waiting for the broker's confirm.
type publishFloorClient struct {
	conn    *amqp.Connection
	mu      sync.Mutex
	ch      *amqp.Channel
	confirm bool
	drain   string
}

func dialPublishFloor(confirm bool) func(context.Context, *env, string) (Client, error) {
	return func(_ context.Context, e *env, _ string) (Client, error) {
		conn, err := amqp.Dial(e.amqpURL)
		if err != nil {
			return nil, fmt.Errorf("dial broker: %w", err)
		}
		ch, err := conn.Channel()
		if err != nil {
			conn.Close()
			return nil, err
		}
		if err := ch.ExchangeDeclare(floorExchange, amqp.ExchangeTopic, false, false, false, false, nil); err != nil {
			conn.Close()
			return nil, fmt.Errorf("declare exchange: %w", err)
		}
		if confirm {
			if err := ch.Confirm(false); err != nil {
				conn.Close()
				return nil, fmt.Errorf("confirm mode: %w", err)
			}
		}
		return &publishFloorClient{conn: conn, ch: ch, confirm: confirm, drain: e.drainURL}, nil
	}
}

func (c *publishFloorClient) Add(ctx context.Context, _, _ int) (int, error) {
	msg := floorProps(floorNotification, "")
	if !c.confirm {
		c.mu.Lock()
		err := c.ch.PublishWithContext(ctx, floorExchange, floorNotifyQueue, false, false, msg)
		c.mu.Unlock()
		return 5, err
	}
	// Publish under the lock, wait for the confirm outside it, so
	// many callers' messages are in flight at once.
	c.mu.Lock()
	dc, err := c.ch.PublishWithDeferredConfirmWithContext(ctx, floorExchange, floorNotifyQueue, false, false, msg)
	c.mu.Unlock()
	if err != nil {
		return 0, err
	}
	ok, err := dc.WaitContext(ctx)
	if err != nil {
		return 0, err
	}
	if !ok {
		return 0, errors.New("broker nacked the message")
	}
	return 5, nil
}

func (c *publishFloorClient) Drain(ctx context.Context) error {
	return drainQueue(ctx, c.drain, floorNotifyQueue)
}

func (c *publishFloorClient) Close() error { return c.conn.Close() }

// servePublishFloor consumes the one-way floor's queue with manual
// acks, as the notification listener does.
func servePublishFloor(_ context.Context, url string) (func(), error) {
	conn, err := amqp.Dial(url)
	if err != nil {
		return nil, fmt.Errorf("dial broker: %w", err)
	}
	ch, err := conn.Channel()
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := declareFloorQueue(ch, floorNotifyQueue); err != nil {
		conn.Close()
		return nil, err
	}
	// A consumer tag as long as the notification listener's.
	deliveries, err := ch.Consume(floorNotifyQueue, "notify-"+floorNotifyQueue+"-00000000", false, false, false, false, nil)
	if err != nil {
		conn.Close()
		return nil, fmt.Errorf("consume %s: %w", floorNotifyQueue, err)
	}
	go func() {
		for d := range deliveries {
			_ = d.Ack(false)
		}
	}()
	return func() { conn.Close() }, nil
}
