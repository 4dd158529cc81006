// Command producer is the article's producer in Go: declare queue
// "name", publish "Hello World!" through the default exchange, close.
//
//	go run ./05-amqp-basics/producer
//	go run ./05-amqp-basics/producer -n 5 -body task
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

type config struct {
	url        string
	queue      string
	body       string
	n          int
	durable    bool
	persistent bool
	confirm    bool
	timeout    time.Duration
}

func main() {
	var c config
	flag.StringVar(&c.url, "url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	flag.StringVar(&c.queue, "queue", "name", "queue to declare and publish to")
	flag.StringVar(&c.body, "body", "Hello World!", "message body")
	flag.IntVar(&c.n, "n", 1, "messages to send; with n > 1 each body gets \" #i\"")
	flag.BoolVar(&c.durable, "durable", false, "declare the queue durable")
	flag.BoolVar(&c.persistent, "persistent", false, "mark messages persistent")
	flag.BoolVar(&c.confirm, "confirm", false, "wait for a publisher confirm per message")
	flag.DurationVar(&c.timeout, "timeout", 5*time.Second, "dial and per-message confirm timeout")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, c); err != nil {
		fmt.Fprintln(os.Stderr, "producer:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, c config) error {
	conn, err := mq.Dial(ctx, c.url, mq.DialOptions{Timeout: c.timeout, Name: "producer"})
	if err != nil {
		return err
	}
	defer conn.Close()

	pub, err := mq.NewPublisher(conn, c.confirm)
	if err != nil {
		return err
	}
	defer pub.Close()

	// Like pika's "queue_declare(queue='name')": both sides declare,
	// whoever starts first creates it.
	if _, err := mq.DeclareQueue(pub.Channel(), c.queue, c.durable); err != nil {
		return err
	}

	for i := 1; i <= c.n; i++ {
		body := c.body
		if c.n > 1 {
			body = fmt.Sprintf("%s #%d", c.body, i)
		}
		// A context per message bounds its confirm wait.
		mctx, cancel := context.WithTimeout(ctx, c.timeout)
		err := pub.Publish(mctx, mq.Message{
			Key:        c.queue, // default exchange: routing key = queue name
			Body:       []byte(body),
			Persistent: c.persistent,
		})
		cancel()
		if err != nil {
			return err
		}
		how := ""
		if c.confirm {
			how = " (confirmed)"
		}
		fmt.Printf("sent %q to queue %q%s\n", body, c.queue, how)
	}
	return nil
}
