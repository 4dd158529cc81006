// The listener is the receiving half, ceilometer's side. It binds
// queues to the topic exchange, takes notifications off them one at
// a time, calls the endpoint methods for the notification's
// priority, and only then acknowledges: if the process dies in the
// middle, the broker hands the notification to someone else.

package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ErrConsumerCancelled is what [NotificationListener.Run] returns
// when its deliveries stop without ctx being done and without a
// channel error: the broker cancelled the consumers, e.g. because
// someone deleted a queue.
var ErrConsumerCancelled = errors.New("the broker cancelled the listener's consumers")

// Target names where notifications come from: an exchange (default
// "openstack") and a topic (default "notifications").
type Target struct {
	Exchange string
	Topic    string
}

// ListenerConfig configures a [NotificationListener].
type ListenerConfig struct {
	// Targets to listen on; default one target, "notifications".
	Targets []Target
	// Endpoints, tried in order for each notification; each must
	// implement at least one of [InfoHandler], [ErrorHandler], ….
	Endpoints []any
	// Pool, when set, makes the listener consume ONE queue named
	// after the pool, bound with every routing key. Listeners of one
	// pool share the notifications; each pool gets all of them.
	Pool string
	// AllowRequeue lets an endpoint send a notification back to its
	// queue ([ErrRequeue]); without it every notification is acked.
	AllowRequeue bool
	// Durable must match the notifier's (oslo's amqp_durable_queues).
	Durable bool
	// Prefetch caps unacknowledged deliveries; 0 means no limit, as
	// oslo's default rabbit_qos_prefetch_count.
	Prefetch int
	// Logger receives what the listener drops; default slog.Default().
	Logger *slog.Logger
}

// NotificationListener receives notifications and calls endpoints.
type NotificationListener struct {
	conn      *amqp.Connection
	cfg       ListenerConfig
	callbacks map[Priority][]callback
	log       *slog.Logger
	bindings  []binding
	window    idWindow // used by the dispatch goroutine only

	mu      sync.Mutex
	ch      *amqp.Channel
	tags    []string
	done    chan struct{} // closed when the dispatch loop ends
	closeCh chan *amqp.Error
	cancel  context.CancelFunc
}

// binding is one queue and one routing key it is bound with.
type binding struct {
	queue, exchange, key string
}

// NewNotificationListener checks the configuration; [Start] or
// [Run] then declares the queues and consumes.
func NewNotificationListener(conn *amqp.Connection, cfg ListenerConfig) (*NotificationListener, error) {
	callbacks, err := callbacksByPriority(cfg.Endpoints)
	if err != nil {
		return nil, err
	}
	if len(cfg.Endpoints) == 0 {
		return nil, errors.New("a listener needs at least one endpoint")
	}
	if len(cfg.Targets) == 0 {
		cfg.Targets = []Target{{Topic: DefaultTopic}}
	}
	l := &NotificationListener{conn: conn, cfg: cfg, callbacks: callbacks, log: cfg.Logger}
	if l.log == nil {
		l.log = slog.Default()
	}
	// oslo binds one queue per (target, priority an endpoint
	// handles), named after the routing key, or all keys to the
	// pool's queue.
	for _, t := range cfg.Targets {
		if t.Exchange == "" {
			t.Exchange = DefaultExchange
		}
		if t.Topic == "" {
			t.Topic = DefaultTopic
		}
		for _, p := range Priorities {
			if len(callbacks[p]) == 0 {
				continue
			}
			key := p.RoutingKey(t.Topic)
			queue := key
			if cfg.Pool != "" {
				queue = cfg.Pool
			}
			l.bindings = append(l.bindings, binding{queue: queue, exchange: t.Exchange, key: key})
		}
	}
	return l, nil
}

// Queues returns the names of the queues the listener consumes, in
// the order it binds them.
func (l *NotificationListener) Queues() []string {
	var names []string
	seen := map[string]bool{}
	for _, b := range l.bindings {
		if !seen[b.queue] {
			seen[b.queue] = true
			names = append(names, b.queue)
		}
	}
	return names
}

// RoutingKeys returns the routing keys the queues are bound with.
func (l *NotificationListener) RoutingKeys() []string {
	var keys []string
	for _, b := range l.bindings {
		keys = append(keys, b.key)
	}
	return keys
}

// Run listens until ctx is done (then stops cleanly and returns
// nil) or the channel dies (then returns why).
func (l *NotificationListener) Run(ctx context.Context) error {
	if err := l.Start(ctx); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		return l.Stop()
	case <-l.done:
		// The deliveries ended by themselves: the channel died, or
		// the broker cancelled the consumers (queue deleted).
		if err := l.Stop(); err != nil {
			return err
		}
		if amqpErr := <-l.closeCh; amqpErr != nil {
			return fmt.Errorf("listener channel closed: %w", amqpErr)
		}
		if l.conn.IsClosed() {
			return fmt.Errorf("listener connection closed: %w", amqp.ErrClosed)
		}
		return ErrConsumerCancelled
	}
}

// Start declares and binds the queues, starts consuming and returns;
// notifications are dispatched in the background until [Stop].
// Endpoints receive a context derived from ctx; cancelling it does
// not stop the listener (use [Run] for that, or call Stop).
func (l *NotificationListener) Start(ctx context.Context) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ch != nil {
		return errors.New("listener already started")
	}
	ch, err := l.conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	deliveries, tags, err := l.setUp(ch)
	if err != nil {
		ch.Close()
		return err
	}
	l.ch, l.tags = ch, tags
	l.closeCh = ch.NotifyClose(make(chan *amqp.Error, 1))
	l.done = make(chan struct{})
	ctx, l.cancel = context.WithCancel(ctx)
	go l.loop(ctx, fanIn(deliveries))
	return nil
}

// setUp declares the topology on ch and starts one consumer per
// queue.
func (l *NotificationListener) setUp(ch *amqp.Channel) ([]<-chan amqp.Delivery, []string, error) {
	if l.cfg.Prefetch > 0 {
		if err := ch.Qos(l.cfg.Prefetch, 0, false); err != nil {
			return nil, nil, fmt.Errorf("set prefetch: %w", err)
		}
	}
	for _, b := range l.bindings {
		if err := declareExchange(ch, b.exchange, l.cfg.Durable); err != nil {
			return nil, nil, err
		}
		if err := declareBoundQueue(ch, b.queue, b.exchange, b.key, l.cfg.Durable); err != nil {
			return nil, nil, err
		}
	}
	var all []<-chan amqp.Delivery
	var tags []string
	for _, q := range l.Queues() {
		tag := "notify-" + q + "-" + newUniqueID()[:8]
		d, err := ch.Consume(q, tag,
			false, // auto-ack: no, we ack after the endpoints ran
			false, // exclusive
			false, // no-local
			false, // no-wait
			nil)
		if err != nil {
			return nil, nil, fmt.Errorf("consume %s: %w", q, err)
		}
		all = append(all, d)
		tags = append(tags, tag)
	}
	return all, tags, nil
}

// fanIn merges the consumers' delivery channels into one, so a
// single goroutine dispatches (like oslo's one poll loop); the
// result closes when every input has closed.
func fanIn(ins []<-chan amqp.Delivery) <-chan amqp.Delivery {
	out := make(chan amqp.Delivery)
	var wg sync.WaitGroup
	for _, in := range ins {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for d := range in {
				out <- d
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Stop cancels the consumers, waits for the notification being
// handled, and closes the channel. Unacknowledged deliveries go back
// to their queues. Don't call it from an endpoint method: it would
// wait for itself; cancel the context given to [Run] instead.
func (l *NotificationListener) Stop() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ch == nil {
		return nil
	}
	// Cancelling makes amqp091 close the delivery channels, which
	// ends the loop once it has handled what was already delivered.
	for _, tag := range l.tags {
		if err := l.ch.Cancel(tag, false); err != nil {
			break // the channel is gone; the loop ends by itself
		}
	}
	<-l.done
	l.cancel()
	err := l.ch.Close()
	l.ch = nil
	if err != nil && !errors.Is(err, amqp.ErrClosed) {
		return fmt.Errorf("close channel: %w", err)
	}
	return nil
}

// loop handles deliveries one at a time until the channel closes.
func (l *NotificationListener) loop(ctx context.Context, in <-chan amqp.Delivery) {
	defer close(l.done)
	for d := range in {
		l.handle(ctx, d)
	}
}

// handle is oslo's dispatch plus the ack: decode, drop duplicates,
// call every endpoint method of the priority whose filter matches,
// then ack (or requeue, when asked and allowed).
func (l *NotificationListener) handle(ctx context.Context, d amqp.Delivery) {
	m, err := DecodeMessage(d.Body)
	if err != nil {
		l.log.Warn("dropping notification", "routing_key", d.RoutingKey, "error", err)
		l.ack(d, "")
		return
	}
	if l.window.seen(m.UniqueID) {
		l.log.Warn("dropping duplicate notification", "unique_id", m.UniqueID)
		l.ack(d, "")
		return
	}
	priority, ok := ParsePriority(string(m.Priority))
	if !ok {
		l.log.Warn("unknown priority", "priority", string(m.Priority),
			"event_type", m.EventType, "publisher_id", m.PublisherID)
		l.ack(d, m.UniqueID)
		return
	}
	var payload any
	if len(m.Payload) > 0 {
		// Valid JSON already: it was parsed with the message.
		_ = json.Unmarshal(m.Payload, &payload)
	}
	md := Metadata{MessageID: m.MessageID, Timestamp: m.Timestamp}
	cctx := WithRequestContext(ctx, m.Context)
	requeue := false
	for _, cb := range l.callbacks[priority] {
		if !cb.filter.Match(m.Context, m.PublisherID, m.EventType, md, payload) {
			continue
		}
		err := safeCall(cb, cctx, m.PublisherID, m.EventType, payload, md)
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrRequeue) {
			l.log.Error("endpoint failed", "event_type", m.EventType,
				"message_id", m.MessageID, "error", err)
		}
		requeue = true
		break
	}
	if requeue && l.cfg.AllowRequeue {
		if err := d.Nack(false, true); err != nil {
			l.log.Warn("requeue failed", "error", err)
		}
		return
	}
	l.ack(d, m.UniqueID)
}

// ack acknowledges a delivery and remembers its id, as oslo adds it
// to the duplicate window only once acknowledged.
func (l *NotificationListener) ack(d amqp.Delivery, uniqueID string) {
	if err := d.Ack(false); err != nil {
		l.log.Warn("ack failed", "error", err)
		return
	}
	l.window.add(uniqueID)
}
