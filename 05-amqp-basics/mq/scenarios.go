// Scenarios: the article's three exchange types and its two ways of
// sharing messages, each as data that the exchanges program runs
// and the tests check.

package mq

import (
	"context"
	"fmt"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Scenario is an exchange, its bindings, its receivers and the
// messages published to it.
type Scenario struct {
	Name      string
	Exchange  string // "" is the default exchange (no declaration)
	Kind      string // "direct", "topic" or "fanout"
	Bindings  []Binding
	Receivers []Receiver
	Messages  []Message
	Work      time.Duration // handling time per message
}

// Scenarios are the runnable examples, by name.
var Scenarios = map[string]Scenario{
	// direct: a message goes where routing key == binding key. One
	// queue may have several bindings; a key nobody bound is dropped.
	"direct": {
		Name: "direct", Exchange: "direct-logs", Kind: amqp.ExchangeDirect,
		Bindings: []Binding{
			{Queue: "errors", Key: "error"},
			{Queue: "everything", Key: "info"},
			{Queue: "everything", Key: "warning"},
			{Queue: "everything", Key: "error"},
		},
		Receivers: []Receiver{{"errors", "errors"}, {"everything", "everything"}},
		Messages:  keyed("direct-logs", "info", "warning", "error", "debug"),
	},
	// topic: keys are words split by "."; "*" matches one word, "#"
	// matches zero or more.
	"topic": {
		Name: "topic", Exchange: "topic-logs", Kind: amqp.ExchangeTopic,
		Bindings: []Binding{
			{Queue: "kern-star", Key: "kern.*"},
			{Queue: "kern-hash", Key: "kern.#"},
			{Queue: "critical", Key: "*.critical"},
		},
		Receivers: []Receiver{{"critical", "critical"}, {"kern-hash", "kern-hash"}, {"kern-star", "kern-star"}},
		Messages:  keyed("topic-logs", "kern", "kern.info", "kern.disk.full", "auth.critical", "cron.daily"),
	},
	// fanout: every bound queue gets a copy, so one message reaches
	// several receivers. Keys are ignored.
	"fanout": {
		Name: "fanout", Exchange: "broadcast", Kind: amqp.ExchangeFanout,
		Bindings: []Binding{
			{Queue: "mail", Key: ""},
			{Queue: "sms", Key: ""},
			{Queue: "audit", Key: ""},
		},
		Receivers: []Receiver{{"audit", "audit"}, {"mail", "mail"}, {"sms", "sms"}},
		Messages:  []Message{{Exchange: "broadcast", Key: "ignored", Body: []byte("deploy finished")}},
	},
	// shared: several receivers on one queue; each message goes to
	// exactly one of them (round robin).
	"shared": {
		Name: "shared", Exchange: "",
		Bindings:  []Binding{{Queue: "shared-tasks"}},
		Receivers: []Receiver{{"worker-1", "shared-tasks"}, {"worker-2", "shared-tasks"}},
		Messages:  numbered("shared-tasks", "task", 6),
		Work:      20 * time.Millisecond,
	},
}

// ScenarioNames lists [Scenarios] in teaching order.
var ScenarioNames = []string{"direct", "topic", "fanout", "shared"}

// Run declares the scenario's topology, starts its receivers,
// publishes its messages with confirms, and returns what each
// receiver got.
func (s Scenario) Run(ctx context.Context, conn *amqp.Connection) ([]Received, error) {
	pub, err := NewPublisher(conn, true)
	if err != nil {
		return nil, err
	}
	defer pub.Close()

	if s.Exchange == "" {
		for _, b := range s.Bindings {
			if _, err := DeclareQueue(pub.Channel(), b.Queue, false); err != nil {
				return nil, err
			}
		}
	} else if err := DeclareExchange(pub.Channel(), s.Exchange, s.Kind, s.Bindings); err != nil {
		return nil, err
	}

	return Collect(ctx, conn, s.Receivers, s.Work, 300*time.Millisecond, func(ctx context.Context) error {
		// Confirms: once Wait returns, the broker has routed the
		// message, so the receivers will see it.
		for _, m := range s.Messages {
			if err := pub.Publish(ctx, m); err != nil {
				return fmt.Errorf("scenario %s: %w", s.Name, err)
			}
		}
		return nil
	})
}

func keyed(exchange string, keys ...string) []Message {
	ms := make([]Message, len(keys))
	for i, k := range keys {
		ms[i] = Message{Exchange: exchange, Key: k, Body: []byte(k)}
	}
	return ms
}

func numbered(queue, prefix string, n int) []Message {
	ms := make([]Message, n)
	for i := range ms {
		ms[i] = Message{Key: queue, Body: fmt.Appendf(nil, "%s %d", prefix, i+1)}
	}
	return ms
}
