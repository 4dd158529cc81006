// The exchanges and queues oslo.messaging declares on RabbitMQ, with its
// flags. A server on topic test named server1 gets:
//
//	exchange openstack (topic) ── key test ─────────► queue test          (shared: round robin)
//	                           └─ key test.server1 ─► queue test.server1  (this server only)
//	exchange test_fanout (fanout) ──────────────────► queue test_fanout_<uuid> (one per server)
//
// A client that calls gets a queue reply_<uuid>, which servers reach
// through the default exchange "" with the queue name as routing key.
//
// RabbitMQ refuses to declare an existing exchange or queue with other
// flags, so these must match what the deployment's Python services use
// (amqp_durable_queues, rabbit_quorum_queue, … in the transport_url).

package oslo

import (
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// An exchangeSpec is an exchange and its flags.
type exchangeSpec struct {
	name       string
	kind       string
	durable    bool
	autoDelete bool
}

func (e exchangeSpec) declare(ch *amqp.Channel) error {
	if e.name == "" {
		return nil // the default exchange always exists
	}
	err := ch.ExchangeDeclare(e.name, e.kind,
		e.durable,    // durable
		e.autoDelete, // auto-delete
		false,        // internal
		false,        // no-wait
		nil)
	if err != nil {
		return fmt.Errorf("declare exchange %s: %w", e.name, err)
	}
	return nil
}

// topicExchange is the exchange calls and casts go to.
func (t *Transport) topicExchange(target Target) exchangeSpec {
	return exchangeSpec{name: t.exchangeFor(target), kind: amqp.ExchangeTopic,
		durable: t.durable(), autoDelete: t.url.Options.AutoDelete}
}

// fanoutExchange is <topic>_fanout: never durable, deleted with its
// last queue.
func fanoutExchange(topic string) exchangeSpec {
	return exchangeSpec{name: topic + "_fanout", kind: amqp.ExchangeFanout, autoDelete: true}
}

// declareTopicQueue declares a shared queue (test or test.server1)
// and binds it to the topic exchange with its own name as key.
func (t *Transport) declareTopicQueue(ch *amqp.Channel, exchange, name string) error {
	if _, err := ch.QueueDeclare(name,
		t.durable(),              // durable
		t.url.Options.AutoDelete, // auto-delete
		false,                    // exclusive
		false,                    // no-wait
		t.topicQueueArgs()); err != nil {
		return fmt.Errorf("declare queue %s: %w", name, err)
	}
	if err := ch.QueueBind(name, name, exchange, false, nil); err != nil {
		return fmt.Errorf("bind queue %s to %s: %w", name, exchange, err)
	}
	return nil
}

// declareTransientQueue declares a reply or fanout queue: not durable,
// and removed by the broker after rabbit_transient_queues_ttl unused.
func (t *Transport) declareTransientQueue(ch *amqp.Channel, name string) error {
	args := amqp.Table{"x-expires": t.url.Options.TransientQueuesTTL.Milliseconds()}
	if _, err := ch.QueueDeclare(name,
		false, // durable
		false, // auto-delete
		false, // exclusive
		false, // no-wait
		args); err != nil {
		return fmt.Errorf("declare queue %s: %w", name, err)
	}
	return nil
}

// topicQueueArgs are the arguments of the topic queues, exactly those
// oslo.messaging's _get_queue_arguments gives them, so that a Go server
// and a Python one may declare the same queue: with rabbit_quorum_queue,
// x-queue-type quorum, and each quorum limit only when it is set. Any
// other argument, or another value, and RabbitMQ refuses the second
// declaration (406 PRECONDITION_FAILED).
func (t *Transport) topicQueueArgs() amqp.Table {
	o := t.url.Options
	if !o.QuorumQueues {
		return nil
	}
	args := amqp.Table{"x-queue-type": "quorum"}
	if o.QuorumDeliveryLimit > 0 {
		args["x-delivery-limit"] = o.QuorumDeliveryLimit
	}
	if o.QuorumMaxMemoryLength > 0 {
		args["x-max-in-memory-length"] = o.QuorumMaxMemoryLength
	}
	if o.QuorumMaxMemoryBytes > 0 {
		args["x-max-in-memory-bytes"] = o.QuorumMaxMemoryBytes
	}
	return args
}
