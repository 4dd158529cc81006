// The notifier is the sending half: nova-compute calls
// notifier.info(ctxt, "compute.instance.create.end", payload) and
// forgets about it. Nobody answers a notification, so sending one is
// a single publish, with no reply queue and no waiting.

package notify

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// DefaultExchange is oslo's control_exchange.
const DefaultExchange = "openstack"

// DefaultTopic is oslo's default notification topic.
const DefaultTopic = "notifications"

// NotifierConfig configures a [Notifier]. The zero value of every
// field but PublisherID means oslo's default.
type NotifierConfig struct {
	// PublisherID names the sender, e.g. "compute.host1".
	PublisherID string
	// Topics to publish to; default ["notifications"]. Each event is
	// sent once per topic.
	Topics []string
	// Driver picks the format; default [DriverMessagingV2].
	Driver Driver
	// Exchange is the topic exchange; default "openstack".
	Exchange string
	// Durable declares the exchange and queues durable, like oslo's
	// amqp_durable_queues; it must match what the broker has.
	Durable bool
	// AllowedEventTypes, when not empty, is nova's white list: an
	// event type not in it is logged as a warning (and still sent).
	AllowedEventTypes []string
	// RejectUnknownEventTypes refuses such an event instead, with an
	// [*EventTypeError] (nova's fatal mode, used in its tests).
	RejectUnknownEventTypes bool
	// Logger receives the warnings; default slog.Default().
	Logger *slog.Logger
}

// EventTypeError is returned for an event type outside the white
// list when [NotifierConfig.RejectUnknownEventTypes] is set.
type EventTypeError struct {
	EventType string
}

func (e *EventTypeError) Error() string {
	return fmt.Sprintf("event type %q is not in the allowed list", e.EventType)
}

// Notifier publishes notifications. It is safe for concurrent use.
type Notifier struct {
	pub         *publisher
	publisherID string
}

// publisher is what a notifier and the ones [Notifier.Prepare] made
// from it share: one channel and the configuration.
type publisher struct {
	cfg     NotifierConfig
	allowed map[string]bool
	log     *slog.Logger

	// mu guards the channel: amqp091 channels are not meant to be
	// used by several goroutines at once.
	mu       sync.Mutex
	conn     *amqp.Connection
	ch       *amqp.Channel
	declared map[string]bool
}

// NewNotifier opens a channel on conn and declares the exchange.
// Close the notifier when done; the connection stays yours.
func NewNotifier(conn *amqp.Connection, cfg NotifierConfig) (*Notifier, error) {
	if len(cfg.Topics) == 0 {
		cfg.Topics = []string{DefaultTopic}
	}
	if cfg.Driver == "" {
		cfg.Driver = DriverMessagingV2
	}
	if cfg.Driver != DriverMessagingV2 && cfg.Driver != DriverMessaging {
		return nil, fmt.Errorf("unknown notification driver %q", cfg.Driver)
	}
	if cfg.Exchange == "" {
		cfg.Exchange = DefaultExchange
	}
	p := &publisher{cfg: cfg, log: cfg.Logger, conn: conn}
	if p.log == nil {
		p.log = slog.Default()
	}
	if len(cfg.AllowedEventTypes) > 0 {
		p.allowed = make(map[string]bool)
		for _, t := range cfg.AllowedEventTypes {
			p.allowed[t] = true
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.open(); err != nil {
		return nil, err
	}
	return &Notifier{pub: p, publisherID: cfg.PublisherID}, nil
}

// Prepare returns a notifier that sends with another publisher id
// over the same channel, like oslo's notifier.prepare(...).
func (n *Notifier) Prepare(publisherID string) *Notifier {
	return &Notifier{pub: n.pub, publisherID: publisherID}
}

// PublisherID returns the id this notifier sends.
func (n *Notifier) PublisherID() string { return n.publisherID }

// Close closes the channel shared with every prepared notifier.
func (n *Notifier) Close() error {
	p := n.pub
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil {
		return nil
	}
	err := p.ch.Close()
	p.ch = nil
	if err != nil && err != amqp.ErrClosed {
		return fmt.Errorf("close channel: %w", err)
	}
	return nil
}

// One method per priority, as on oslo's [Notifier]. Each sends
// payload (anything encoding/json can encode) under eventType,
// with the request context found in ctx (see
// [WithRequestContext]).

// Audit sends an AUDIT notification.
func (n *Notifier) Audit(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityAudit, eventType, payload)
}

// Debug sends a DEBUG notification.
func (n *Notifier) Debug(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityDebug, eventType, payload)
}

// Info sends an INFO notification.
func (n *Notifier) Info(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityInfo, eventType, payload)
}

// Warn sends a WARN notification.
func (n *Notifier) Warn(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityWarn, eventType, payload)
}

// Warning is oslo's other name for [Notifier.Warn]: same priority.
func (n *Notifier) Warning(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityWarn, eventType, payload)
}

// Error sends an ERROR notification.
func (n *Notifier) Error(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityError, eventType, payload)
}

// Critical sends a CRITICAL notification.
func (n *Notifier) Critical(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PriorityCritical, eventType, payload)
}

// Sample sends a SAMPLE notification (a metering sample).
func (n *Notifier) Sample(ctx context.Context, eventType string, payload any) error {
	return n.Notify(ctx, PrioritySample, eventType, payload)
}

// Notify sends one notification at priority to every topic.
func (n *Notifier) Notify(ctx context.Context, priority Priority, eventType string, payload any) error {
	p := n.pub
	known, ok := ParsePriority(string(priority))
	if !ok {
		return fmt.Errorf("unknown priority %q", priority)
	}
	priority = known // "info" goes out as "INFO", as in oslo
	if err := p.checkEventType(n.publisherID, eventType); err != nil {
		return err
	}
	raw, err := marshalPayload(payload)
	if err != nil {
		return fmt.Errorf("encode payload: %w", err)
	}
	// The dict Notifier._notify builds; the driver then adds a
	// fresh _unique_id per topic, and the context.
	m := Message{
		MessageID:   newMessageID(),
		PublisherID: n.publisherID,
		EventType:   eventType,
		Priority:    priority,
		Payload:     raw,
		dumped:      true,
		Timestamp:   FormatTimestamp(time.Now()),
		Context:     RequestContextFrom(ctx).sanitized(),
	}
	for _, topic := range p.cfg.Topics {
		m.UniqueID = newUniqueID()
		body, err := m.Encode(p.cfg.Driver)
		if err != nil {
			return fmt.Errorf("encode notification: %w", err)
		}
		if err := p.publish(ctx, priority.RoutingKey(topic), body); err != nil {
			return err
		}
	}
	return nil
}

// checkEventType is nova's LegacyValidatingNotifier: it warns about
// an event type nobody declared, so new ones get reviewed.
func (p *publisher) checkEventType(publisherID, eventType string) error {
	if p.allowed == nil || p.allowed[eventType] {
		return nil
	}
	if p.cfg.RejectUnknownEventTypes {
		return &EventTypeError{EventType: eventType}
	}
	p.log.Warn("event type is not in the allowed list",
		"event_type", eventType, "publisher_id", publisherID)
	return nil
}

// marshalPayload encodes the payload once for all topics, as json.dumps
// writes it; JSON text passed as json.RawMessage keeps its values and
// its key order.
func marshalPayload(payload any) (json.RawMessage, error) {
	if raw, ok := payload.(json.RawMessage); ok {
		if !json.Valid(raw) {
			return nil, fmt.Errorf("payload is not valid JSON")
		}
		return pyfmt.ReformatJSON(raw)
	}
	return pyfmt.JSON(payload)
}

// publish sends one body, opening a fresh channel if the last one
// died (amqp091 channels are useless after any error).
func (p *publisher) publish(ctx context.Context, key string, body []byte) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil || p.ch.IsClosed() {
		if err := p.open(); err != nil {
			return err
		}
	}
	if err := p.declareQueue(key); err != nil {
		return err
	}
	// The properties kombu sets; content_type matters: without it
	// oslo would not parse the body.
	err := p.ch.PublishWithContext(ctx, p.cfg.Exchange, key,
		false, // mandatory
		false, // immediate
		amqp.Publishing{
			ContentType:     "application/json",
			ContentEncoding: "utf-8",
			DeliveryMode:    amqp.Persistent,
			Priority:        0,
			Body:            body,
		})
	if err != nil {
		p.ch = nil
		return fmt.Errorf("publish to %s: %w", key, err)
	}
	return nil
}

// open makes a new channel and declares the topic exchange with
// oslo's flags. The caller holds mu.
func (p *publisher) open() error {
	ch, err := p.conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	if err := declareExchange(ch, p.cfg.Exchange, p.cfg.Durable); err != nil {
		ch.Close()
		return err
	}
	p.ch = ch
	p.declared = make(map[string]bool)
	return nil
}

// declareQueue is kombu's _publish_and_creates_default_queue: the
// first time a routing key is used on a channel, declare a queue of
// that name and bind it, so events wait for a listener that has not
// started yet instead of being dropped by the exchange.
func (p *publisher) declareQueue(key string) error {
	if p.declared[key] {
		return nil
	}
	if err := declareBoundQueue(p.ch, key, p.cfg.Exchange, key, p.cfg.Durable); err != nil {
		p.ch.Close()
		p.ch = nil
		return err
	}
	p.declared[key] = true
	return nil
}
