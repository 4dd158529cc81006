package main

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Actor ids on the page: one namespace per role.
func exchangeID(name string) string { return "ex:" + name }
func queueID(name string) string    { return "q:" + name }

// announceLocked tells the page of an actor once per run.
func (t *amqpTap) announceLocked(e event) {
	if t.announced[e.ID] {
		return
	}
	t.announced[e.ID] = true
	e.Kind = kindActor
	t.h.publish(e)
}

func (t *amqpTap) exchangeLocked(name string) string {
	id := exchangeID(name)
	label := name
	if name == "" {
		label = "(default)"
	}
	t.announceLocked(event{Role: "exchange", ID: id, Label: label, Text: t.exchangeType(name)})
	return id
}

func (t *amqpTap) queueLocked(name string) string {
	id := queueID(name)
	t.announceLocked(event{Role: "queue", ID: id, Label: name})
	return id
}

func (t *amqpTap) declareExchange(name, kind string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.exchanges[name] = kind
	t.exchangeLocked(name)
}

func (t *amqpTap) declareQueue(name string, exclusive bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, ok := t.queues[name]; !ok || !exclusive {
		t.queues[name] = exclusive
	}
	t.queueLocked(name)
	t.kickLocked()
}

func (t *amqpTap) bind(b binding) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if !slices.Contains(t.bindings, b) {
		t.bindings = append(t.bindings, b)
	}
	ex := t.exchangeLocked(b.exchange)
	q := t.queueLocked(b.queue)
	t.h.publish(event{Kind: kindBind, ID: q, Parent: ex, Label: b.key})
}

func (t *amqpTap) consume(tag, queue string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.consumers[tag] = queue
	q := t.queueLocked(queue)
	t.perQueue[queue]++
	// A tag the lesson chose (worker-1) names the consumer; one the client
	// library made up (ctag-…) does not.
	label := tag
	if strings.HasPrefix(tag, "ctag-") || strings.HasPrefix(tag, "amq.ctag-") || len(tag) > 24 {
		label = fmt.Sprintf("consumer %d of %s", t.perQueue[queue], queue)
	}
	t.announceLocked(event{Role: "consumer", ID: "c:" + tag, Parent: q, Label: label})
}

// cancel tells the page that a consumer stopped.
func (t *amqpTap) cancel(tag string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.announced["c:"+tag] && !t.announced["gone:"+tag] {
		t.announced["gone:"+tag] = true
		t.h.publish(event{Kind: kindGone, ID: "c:" + tag})
	}
}

// published draws a publish from its connection to the exchange, and the
// exchange's routing decision.
func (t *amqpTap) published(conn int, m *content) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.msgs++
	id := fmt.Sprintf("m%d", t.msgs)
	pub := fmt.Sprintf("p:%d", conn)
	t.announceLocked(event{Role: "publisher", ID: pub, Label: fmt.Sprintf("connection %d", conn)})
	ex := t.exchangeLocked(m.exchange)
	e := brokerMessage(m)
	e.Kind, e.ID, e.From, e.To = kindMsg, id, pub, []string{ex}
	t.h.publish(e)
	var to []string
	for _, q := range t.route(m.exchange, m.key) {
		to = append(to, t.queueLocked(q))
	}
	t.h.publish(event{Kind: kindRoute, ID: id, From: ex, To: to, Label: m.key})
	t.kickLocked()
}

// delivered draws a delivery from its queue to its consumer.
func (t *amqpTap) delivered(m *content) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.msgs++
	q, ok := t.consumers[m.tag]
	if !ok {
		return
	}
	e := brokerMessage(m)
	e.Kind, e.ID, e.From, e.To = kindDeliver, fmt.Sprintf("m%d", t.msgs), t.queueLocked(q), []string{"c:" + m.tag}
	t.h.publish(e)
	t.kickLocked()
}

// brokerMessage is a publish or delivery as the page shows it: routing
// and properties beside the body.
func brokerMessage(m *content) event {
	props := maps.Clone(m.props)
	if props == nil {
		props = map[string]string{}
	}
	props["exchange"] = m.exchange
	props["routing-key"] = m.key
	enc, shown := payload(m.body)
	return event{Label: m.key, Enc: enc, Bytes: shown, Size: len(m.body), Props: props}
}

func (t *amqpTap) kickLocked() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

// pollDepths asks the broker how many messages each queue the lessons
// declared holds (a passive Queue.Declare, on a connection of its own
// that bypasses the tap), after every publish or delivery and twice a
// second, and tells the page when a depth changes. Exclusive queues
// belong to their connection and cannot be asked about.
func (t *amqpTap) pollDepths(ctx context.Context, brokerURL string) {
	var conn *amqp.Connection
	var ch *amqp.Channel
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	last := map[string]int{}
	tick := time.NewTicker(500 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.kick:
			time.Sleep(5 * time.Millisecond) // let the broker enqueue it
		case <-tick.C:
		}
		if conn == nil || conn.IsClosed() {
			var err error
			if conn, err = amqp.Dial(brokerURL); err != nil {
				conn = nil
				continue
			}
			ch = nil
		}
		ch = t.pollOnce(conn, ch, last)
	}
}

// pollOnce asks about every queue once, on ch (a new one if ch is nil
// or closed by the broker's answer to a queue that is gone).
func (t *amqpTap) pollOnce(conn *amqp.Connection, ch *amqp.Channel, last map[string]int) *amqp.Channel {
	t.mu.Lock()
	var names []string
	for name, exclusive := range t.queues {
		if !exclusive && name != "" {
			names = append(names, name)
		}
	}
	t.mu.Unlock()
	slices.Sort(names)
	for _, name := range names {
		if ch == nil || ch.IsClosed() {
			var err error
			if ch, err = conn.Channel(); err != nil {
				return nil
			}
		}
		q, err := ch.QueueDeclarePassive(name, false, false, false, false, nil)
		if err != nil {
			t.mu.Lock()
			delete(t.queues, name) // gone, or not ours to ask about
			t.mu.Unlock()
			continue
		}
		fresh := t.freshDepth(name)
		if d, ok := last[name]; ok && d == q.Messages && !fresh {
			continue
		}
		last[name] = q.Messages
		t.h.publish(event{Kind: kindDepth, ID: queueID(name), Depth: q.Messages})
	}
	return ch
}

// freshDepth says whether the page of this run has not yet been told the
// queue's depth; it marks it told.
func (t *amqpTap) freshDepth(name string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	key := "depth:" + name
	if t.announced[key] {
		return false
	}
	t.announced[key] = true
	return true
}
