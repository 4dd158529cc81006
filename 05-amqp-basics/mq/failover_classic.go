package mq

import (
	"context"
	"fmt"
	"strconv"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ClassicOutage is the first half of "when the broker dies": a classic
// queue lives on one node only. Messages wait in it, persistent and
// transient; its node is killed; a client on a surviving node finds the
// queue gone ("home node … is down"); the node comes back with the
// persistent messages only.
type ClassicOutage struct {
	URLs       []string // the queue is declared on the first; the others are the survivors
	Management string
	Nodes      Nodes
	Queue      string
	Persistent int // messages written to disk before they are confirmed
	Transient  int // messages kept in memory only
	Logf       func(format string, args ...any)
}

// OutageCounts is what [ClassicOutage.Run] saw.
type OutageCounts struct {
	Node         string // the queue's node, killed
	Persistent   int    // confirmed persistent messages waiting before the kill
	Transient    int    // confirmed transient messages waiting before the kill
	WhileDown    int    // messages a survivor could reach while the node was down
	DownErr      error  // what a survivor was told about the queue
	AfterRestart int    // messages in the queue once the node was back
}

// Run publishes, kills the queue's node, looks from a survivor, starts the
// node again and counts.
func (o *ClassicOutage) Run(ctx context.Context) (OutageCounts, error) {
	if o.Logf == nil {
		o.Logf = (&Dialer{}).logf
	}
	var c OutageCounts
	if err := o.fill(ctx); err != nil {
		return c, err
	}
	c.Persistent, c.Transient = o.Persistent, o.Transient
	node, err := QueueNode(ctx, o.Management, "/", o.Queue)
	if err != nil {
		return c, err
	}
	c.Node = node
	o.Logf("outage: SIGKILL to %s, home of classic queue %s", node, o.Queue)
	if err := o.Nodes.Kill(ctx, node); err != nil {
		return c, err
	}
	survivors := Dialer{URLs: o.URLs[1:], Name: "survivor", Logf: o.Logf}
	c.WhileDown, c.DownErr = o.count(ctx, survivors)
	if c.DownErr == nil {
		o.Logf("outage: the queue answered from a survivor with %d messages", c.WhileDown)
	}
	if err := o.Nodes.Start(ctx, node); err != nil {
		return c, err
	}
	// Back up, the node loads its queue from disk; until then it may still
	// answer "down".
	everyone := Dialer{URLs: o.URLs, Name: "after restart", Logf: o.Logf}
	for attempt := 1; ; attempt++ {
		n, err := o.count(ctx, everyone)
		if err == nil {
			c.AfterRestart = n
			return c, nil
		}
		if attempt == 120 {
			return c, fmt.Errorf("queue %s after restart: %w", o.Queue, err)
		}
		select {
		case <-ctx.Done():
			return c, ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

// fill declares a fresh durable classic queue on the first node and puts
// the messages in it, waiting for every confirm.
func (o *ClassicOutage) fill(ctx context.Context) error {
	d := Dialer{URLs: o.URLs[:1], Name: "outage", Logf: o.Logf}
	conn, _, err := d.Dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	if _, err := ch.QueueDelete(o.Queue, false, false, false); err != nil {
		return fmt.Errorf("delete queue %s: %w", o.Queue, err)
	}
	args := amqp.Table{"x-queue-type": "classic"}
	if _, err := ch.QueueDeclare(o.Queue, true, false, false, false, args); err != nil {
		return fmt.Errorf("declare queue %s: %w", o.Queue, err)
	}
	if err := ch.Confirm(false); err != nil {
		return err
	}
	confirms := ch.NotifyPublish(make(chan amqp.Confirmation, o.Persistent+o.Transient))
	for i := range o.Persistent + o.Transient {
		mode := amqp.Persistent
		if i >= o.Persistent {
			mode = amqp.Transient
		}
		err := ch.PublishWithContext(ctx, "", o.Queue, false, false, amqp.Publishing{
			MessageId: strconv.Itoa(i), DeliveryMode: mode, Body: []byte("waiting " + strconv.Itoa(i)),
		})
		if err != nil {
			return fmt.Errorf("publish: %w", err)
		}
	}
	for range o.Persistent + o.Transient {
		if c := <-confirms; !c.Ack {
			return fmt.Errorf("message %d nacked", c.DeliveryTag)
		}
	}
	return nil
}

// count asks a node how many messages wait in the queue (a passive
// declare: "does it exist, and how full is it?").
func (o *ClassicOutage) count(ctx context.Context, d Dialer) (int, error) {
	d.Rounds = 1
	conn, _, err := d.Dial(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return 0, err
	}
	q, err := ch.QueueDeclarePassive(o.Queue, true, false, false, false, amqp.Table{"x-queue-type": "classic"})
	if err != nil {
		return 0, err
	}
	return q.Messages, nil
}
