//go:build solutions

package exercises

import (
	"context"
	"fmt"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Produce is the article's producer in Go: it declares queue and
// publishes body to it through the default exchange.
func Produce(ctx context.Context, conn *amqp.Connection, queue, body string) error {
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open a channel: %w", err)
	}
	defer ch.Close()
	if _, err := ch.QueueDeclare(queue, false, false, false, false, nil); err != nil {
		return fmt.Errorf("declare queue %q: %w", queue, err)
	}
	return ch.PublishWithContext(ctx,
		"",    // the default exchange
		queue, // its routing key is the queue's name
		false, // mandatory
		false, // immediate
		amqp.Publishing{ContentType: "text/plain", Body: []byte(body)},
	)
}
