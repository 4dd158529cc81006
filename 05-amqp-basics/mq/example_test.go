package mq_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// These examples need a broker, so they are compiled but not run; the
// tests run the same code against RabbitMQ.

// Connect with AMQP_URL, and tell "no broker" from "wrong password".
func ExampleDial() {
	ctx := context.Background()
	conn, err := mq.Dial(ctx, mq.URLFromEnv(), mq.DialOptions{Timeout: 3 * time.Second})
	var de *mq.DialError
	switch {
	case errors.As(err, &de) && de.Step == "log in to":
		log.Fatal("check the user and password in AMQP_URL: ", err)
	case err != nil:
		log.Fatal(err)
	}
	defer conn.Close()
}

// The article's producer: declare "name", publish "Hello World!", and
// wait for the broker's confirm.
func ExamplePublisher_Publish() {
	ctx := context.Background()
	conn, err := mq.Dial(ctx, mq.URLFromEnv(), mq.DialOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	pub, err := mq.NewPublisher(conn, true) // confirm mode
	if err != nil {
		log.Fatal(err)
	}
	defer pub.Close()
	if _, err := mq.DeclareQueue(pub.Channel(), "name", false); err != nil {
		log.Fatal(err)
	}
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second) // one per message
	defer cancel()
	if err := pub.Publish(mctx, mq.Message{Key: "name", Body: []byte("Hello World!")}); err != nil {
		log.Fatal(err)
	}
}

// The article's consumer: print each message, ack it after handling.
func ExampleConsume() {
	ctx := context.Background()
	conn, err := mq.Dial(ctx, mq.URLFromEnv(), mq.DialOptions{})
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	err = mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "name"},
		func(_ context.Context, d amqp.Delivery) error {
			fmt.Printf("received %q\n", d.Body)
			return nil // nil: ack
		})
	if err != nil {
		log.Fatal(err)
	}
}

// A consumer that outlives a broker restart, logging what happens.
func ExampleDialRecovering() {
	ctx := context.Background()
	opts := mq.RecoveryOptions{Interval: time.Second, MaxAttempts: 60, Logf: log.Printf}
	conn, err := mq.DialRecovering(ctx, mq.URLFromEnv(), mq.DialOptions{}, opts)
	if err != nil {
		log.Fatal(err)
	}
	defer conn.Close()
	_ = mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "jobs"},
		func(_ context.Context, d amqp.Delivery) error { return nil })
}
