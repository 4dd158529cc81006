// Package mq is the library of lesson 05 of the course (the article's
// 消息队列, message queue): AMQP 0-9-1 on a real RabbitMQ, told with
// the words of the article's section 8.9.4 — publisher, receiver,
// queue, exchange, exchange type and binding.
//
// The article sends one message with pika. This package does the same
// with the amqp091-go client (github.com/rabbitmq/amqp091-go), and the
// lesson's programs beside it (producer, consumer, exchanges, balance,
// availability, scaling, durable, confirms, reconnect) show, one small
// program each, why a broker sits between an RPC client and its
// servers (section 8.9.3): it balances work, it keeps messages while
// no server runs, and it lets servers be added without touching the
// client.
//
// The library code here is deliberately small. Each file holds one idea:
//
//   - connect.go: [Dial] turns AMQP_URL into a connection, with a dial
//     timeout and a [DialError] that says which step failed;
//   - publish.go: a [Publisher] sends a message, with or without
//     publisher confirms;
//   - consume.go: [Consume] runs a receiver that acks after handling,
//     prefetch 1;
//   - routing.go: exchanges, bindings and the three exchange types;
//   - recovery.go: [DialRecovering] gives a consumer that survives the
//     broker going away, using the client library's own connection
//     recovery.
//
// The rules the amqp091-go documentation asks for are followed
// everywhere: a channel per goroutine, a channel is thrown away after
// any error, NotifyClose/NotifyPublish channels are buffered and
// always drained, and no goroutine publishes and consumes on the same
// channel.
package mq
