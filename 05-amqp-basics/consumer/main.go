// Command consumer is the article's consumer in Go: declare queue
// "name" and print what arrives. By default it acks each message after
// handling it; with -auto-ack the broker forgets a message the moment
// it sends it (pika's "no_ack=True"). -crash exits right after
// receiving, before handling, to show the difference.
//
//	go run ./05-amqp-basics/consumer -count 1
//	go run ./05-amqp-basics/consumer -crash
//	go run ./05-amqp-basics/consumer -auto-ack -crash
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

type config struct {
	url     string
	queue   string
	durable bool
	autoAck bool
	crash   bool
	count   int
	idle    time.Duration
	work    time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	flag.StringVar(&c.queue, "queue", "name", "queue to declare and consume from")
	flag.BoolVar(&c.durable, "durable", false, "declare the queue durable")
	flag.BoolVar(&c.autoAck, "auto-ack", false, "let the broker forget messages as soon as they are sent")
	flag.BoolVar(&c.crash, "crash", false, "exit after the first message, before handling it")
	flag.IntVar(&c.count, "count", 0, "exit after handling this many messages (0: run until Ctrl-C)")
	flag.DurationVar(&c.idle, "idle", 0, "exit when no message came for this long (0: wait forever)")
	flag.DurationVar(&c.work, "work", 0, "time spent handling each message")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "consumer:", err)
		os.Exit(1)
	}
}

// run declares the queue, then receives until -count messages are
// handled, -idle passes without one, -crash fires, or ctx ends.
func run(ctx context.Context, c config) error {
	conn, err := mq.Dial(ctx, c.url, mq.DialOptions{Name: "consumer"})
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := declare(conn, c); err != nil {
		return err
	}

	mode := "manual ack"
	if c.autoAck {
		mode = "auto-ack"
	}
	fmt.Printf("waiting for messages on queue %q (%s)\n", c.queue, mode)

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	opts := mq.ConsumeOptions{
		Queue:   c.queue,
		Tag:     "consumer",
		AutoAck: c.autoAck,
		OnAck: func(d amqp.Delivery) {
			fmt.Printf("acked %q\n", d.Body)
		},
	}
	err = mq.Consume(ctx, conn, opts, handler(c, cancel, watchIdle(ctx, c.idle, cancel)))
	if errors.Is(err, mq.ErrAbandon) {
		return nil
	}
	return err
}

// declare declares the queue, like the producer does, so it does not
// matter which program starts first.
func declare(conn *amqp.Connection, c config) error {
	ch, err := conn.Channel()
	if err != nil {
		return fmt.Errorf("open channel: %w", err)
	}
	// The declaring channel is done afterwards; [mq.Consume] opens its own.
	defer ch.Close()
	_, err = mq.DeclareQueue(ch, c.queue, c.durable)
	return err
}

// watchIdle implements -idle: a timer, pushed back by every send on the
// channel it returns, calls stop when no message came for idle. With
// idle 0 nothing watches, and sends on the channel are simply dropped.
func watchIdle(ctx context.Context, idle time.Duration, stop func()) chan<- struct{} {
	activity := make(chan struct{}, 1)
	if idle <= 0 {
		return activity
	}
	go func() {
		t := time.NewTimer(idle)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-activity:
				t.Reset(idle)
			case <-t.C:
				fmt.Printf("no message for %s, stopping\n", idle)
				stop()
				return
			}
		}
	}()
	return activity
}

// handler prints each message and handles it: it abandons the message
// with -crash, takes -work over it otherwise, and calls stop once
// -count messages are handled.
func handler(c config, stop func(), activity chan<- struct{}) mq.Handler {
	handled := 0
	return func(ctx context.Context, d amqp.Delivery) error {
		select {
		case activity <- struct{}{}:
		default:
		}
		again := ""
		if d.Redelivered {
			again = " (redelivered)"
		}
		fmt.Printf("received %q%s\n", d.Body, again)
		if c.crash {
			fmt.Println("crashing before handling it")
			return mq.ErrAbandon
		}
		time.Sleep(c.work)
		handled++
		if c.count > 0 && handled >= c.count {
			stop()
		}
		return nil
	}
}
