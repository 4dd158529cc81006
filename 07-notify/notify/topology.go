// Topology: the exchange and queues both sides declare. oslo declares
// everything non-durable and non-auto-delete by default; RabbitMQ
// refuses a redeclare with other flags (406 PRECONDITION_FAILED), so
// the Go side uses the same flags, or both the same Durable option.

package notify

import (
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// declareExchange declares oslo's topic exchange.
func declareExchange(ch *amqp.Channel, name string, durable bool) error {
	err := ch.ExchangeDeclare(name, "topic",
		durable,
		false, // auto-delete
		false, // internal
		false, // no-wait
		nil)
	if err != nil {
		return fmt.Errorf("declare exchange %s: %w", name, err)
	}
	return nil
}

// declareBoundQueue declares queue name and binds it to exchange
// with routing key key.
func declareBoundQueue(ch *amqp.Channel, name, exchange, key string, durable bool) error {
	_, err := ch.QueueDeclare(name,
		durable,
		false, // auto-delete
		false, // exclusive
		false, // no-wait
		nil)
	if err != nil {
		return fmt.Errorf("declare queue %s: %w", name, err)
	}
	if err := ch.QueueBind(name, key, exchange, false, nil); err != nil {
		return fmt.Errorf("bind queue %s to %s with %s: %w", name, exchange, key, err)
	}
	return nil
}

// QueueState is what a passive declare tells about a queue: the
// numbers rabbitmqctl list_queues name messages consumers prints.
type QueueState struct {
	Name      string
	Messages  int
	Consumers int
}

// InspectQueue asks the broker about one queue without creating it.
// AMQP has no "list queues" method, so one asks name by name; a
// missing queue is reported with ok false (the broker closes the
// channel, so each question uses its own).
func InspectQueue(conn *amqp.Connection, name string) (state QueueState, ok bool, err error) {
	ch, err := conn.Channel()
	if err != nil {
		return QueueState{}, false, fmt.Errorf("open channel: %w", err)
	}
	defer ch.Close()
	q, err := ch.QueueDeclarePassive(name, false, false, false, false, nil)
	if err != nil {
		if e, isAMQP := err.(*amqp.Error); isAMQP && e.Code == amqp.NotFound {
			return QueueState{}, false, nil
		}
		return QueueState{}, false, fmt.Errorf("inspect queue %s: %w", name, err)
	}
	return QueueState{Name: q.Name, Messages: q.Messages, Consumers: q.Consumers}, true, nil
}
