package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// amqpBasics sends the article's pika message, routes messages through a
// topic exchange, and lets three workers share one queue.
func amqpBasics(ctx context.Context, g *guide) error {
	g.explain(`
		Why a broker (8.9.3) and what to know about queues (8.9.4): a publisher sends to an
		exchange, bindings route to queues, receivers take from queues. First the article's
		pika demo: queue "name", body "Hello World!", acked after it is handled.`, `
		为什么要引入消息中间件（8.9.3），消息队列你应该知道什么（8.9.4）：发布者把消息发给交换机，
		交换机按绑定把消息路由到队列，接收者再从队列里取。先跑文章里的 pika demo：
		队列 "name"，消息体 "Hello World!"，处理完再确认（ack）。`)
	conn, err := mq.Dial(ctx, g.amqpURL, mq.DialOptions{})
	if err != nil {
		return err
	}
	defer conn.Close()
	if err := helloWorld(ctx, g, conn); err != nil {
		return err
	}

	g.explain(`
		A topic exchange: routing keys are words split by dots, "*" matches one, "#" any number.`, `
		topic 交换机：路由键是用点分隔的单词，"*" 匹配一个单词，"#" 匹配任意多个。`)
	topic := mq.Scenarios["topic"]
	for _, b := range topic.Bindings {
		g.tell("    queue %-10s bound with %q", "    队列 %-10s 的绑定键 %q", b.Queue, b.Key)
	}
	got, err := topic.Run(ctx, conn)
	if err != nil {
		return fmt.Errorf("topic exchange: %w", err)
	}
	slices.SortFunc(got, func(a, b mq.Received) int {
		return cmp.Or(cmp.Compare(a.Key, b.Key), cmp.Compare(a.Queue, b.Queue))
	})
	routed := map[string]bool{}
	for _, r := range got {
		g.tell("    key %-16q → queue %s", "    路由键 %-16q → 队列 %s", r.Key, r.Queue)
		routed[r.Key] = true
	}
	for _, m := range topic.Messages {
		if !routed[m.Key] {
			g.tell("    key %-16q → no binding matches: the exchange drops it",
				"    路由键 %-16q → 没有匹配的绑定：交换机直接丢弃", m.Key)
		}
	}

	g.explain(`
		Problem one, solved: three workers on one queue, prefetch 1, share 9 tasks round robin.`, `
		解决问题一：三个 worker 共用一个队列，prefetch 设为 1，9 个任务按轮询（round robin）分给它们。`)
	counts, err := mq.Balance(ctx, g.amqpURL, "tour-tasks", 3, 9, 20*time.Millisecond, nil)
	if err != nil {
		return fmt.Errorf("balance: %w", err)
	}
	for _, w := range slices.Sorted(maps.Keys(counts)) {
		g.tell("    %s handled %d tasks", "    %s 处理了 %d 个任务", w, counts[w])
	}
	return nil
}

// helloWorld is the article's producer and consumer in a few lines.
func helloWorld(ctx context.Context, g *guide, conn *amqp.Connection) error {
	p, err := mq.NewPublisher(conn, true)
	if err != nil {
		return err
	}
	defer p.Close()
	if _, err := mq.DeclareQueue(p.Channel(), "name", false); err != nil {
		return err
	}
	if err := p.Publish(ctx, mq.Message{Key: "name", Body: []byte("Hello World!")}); err != nil {
		return fmt.Errorf("publish: %w", err)
	}
	g.tell("  producer: sent %q to queue \"name\" (the broker confirmed it)",
		"  生产者：把 %q 发到了队列 \"name\"（RabbitMQ 已确认收到）", "Hello World!")

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	var body string
	err = mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "name"}, func(_ context.Context, d amqp.Delivery) error {
		body = string(d.Body)
		cancel() // one message is all the article's consumer waits for
		return nil
	})
	if err != nil && !errors.Is(err, context.Canceled) {
		return fmt.Errorf("consume: %w", err)
	}
	if body == "" {
		return errors.New("consume: no message within 30 s")
	}
	g.tell("  consumer: received %q, then acked it", "  消费者：收到 %q，处理完后确认（ack）", body)
	return nil
}
