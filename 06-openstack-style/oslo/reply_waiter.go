// One reply queue per client, many calls in flight: each call registers
// its _msg_id in a map, the one consumer goroutine reads every reply
// from the queue and hands it to the waiter with that id. (A queue per
// call would be one declaration per call; one shared queue is oslo's way.)

package oslo

import (
	"errors"
	"fmt"
	"log/slog"
	"sync"

	amqp "github.com/rabbitmq/amqp091-go"
)

// ErrConnectionLost is returned by calls whose reply queue's connection
// died while they waited. The next call connects again.
var ErrConnectionLost = errors.New("oslo: connection to the broker lost while waiting for a reply")

// A replyEvent is one reply, or the news that none can come.
type replyEvent struct {
	reply *Reply
	err   error
}

type replyWaiter struct {
	t     *Transport
	log   *slog.Logger
	queue string // reply_<uuid hex>, the same for the client's lifetime

	mu       sync.Mutex
	ch       *amqp.Channel // consuming; nil until the first call
	waiters  map[string]chan replyEvent
	closed   bool
	consumer sync.WaitGroup
}

func newReplyWaiter(t *Transport) *replyWaiter {
	return &replyWaiter{
		t:       t,
		log:     t.log,
		queue:   "reply_" + newUUIDHex(),
		waiters: map[string]chan replyEvent{},
	}
}

// listen registers a waiter for msgID, first making sure the reply
// queue exists and is consumed (lazily, like oslo: a client that only
// casts never makes one).
func (w *replyWaiter) listen(msgID string) (<-chan replyEvent, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.closed {
		return nil, errors.New("oslo: client closed")
	}
	if w.ch == nil || w.ch.IsClosed() {
		if err := w.startLocked(); err != nil {
			return nil, err
		}
	}
	// Buffered: heartbeats and the final reply never block the consumer.
	c := make(chan replyEvent, 8)
	w.waiters[msgID] = c
	return c, nil
}

func (w *replyWaiter) unlisten(msgID string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.waiters, msgID)
}

func (w *replyWaiter) startLocked() error {
	ch, err := w.t.channel(listening)
	if err != nil {
		return err
	}
	if err := w.t.declareTransientQueue(ch, w.queue); err != nil {
		_ = ch.Close()
		return err
	}
	deliveries, err := ch.Consume(w.queue, "",
		true,  // auto-ack: a reply is handled once it arrives
		false, // exclusive
		false, // no-local
		false, // no-wait
		nil)
	if err != nil {
		_ = ch.Close()
		return fmt.Errorf("consume %s: %w", w.queue, err)
	}
	w.ch = ch
	w.consumer.Add(1)
	go w.consume(ch, deliveries)
	return nil
}

// consume routes each reply to its waiter by _msg_id. When the
// deliveries end (connection lost or client closed) every waiter hears.
func (w *replyWaiter) consume(ch *amqp.Channel, deliveries <-chan amqp.Delivery) {
	defer w.consumer.Done()
	for d := range deliveries {
		reply, err := decodeReply(d.Body)
		if err != nil {
			w.log.Warn("dropping unreadable reply", "queue", w.queue, "err", err)
			continue
		}
		w.mu.Lock()
		c, ok := w.waiters[reply.MsgID]
		w.mu.Unlock()
		if !ok {
			w.log.Info("no call waiting for reply", "msg_id", reply.MsgID)
			continue
		}
		select {
		case c <- replyEvent{reply: reply}:
		default:
			w.log.Warn("waiter is not reading; reply dropped", "msg_id", reply.MsgID)
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ch != ch && w.ch != nil {
		return // a newer consumer on the same queue serves the waiters
	}
	for id, c := range w.waiters {
		select {
		case c <- replyEvent{err: ErrConnectionLost}:
		default:
		}
		delete(w.waiters, id)
	}
}

// close stops consuming and deletes the reply queue (oslo leaves it to
// expire; deleting it is tidier and harmless: late replies are dropped).
func (w *replyWaiter) close() {
	w.mu.Lock()
	w.closed = true
	ch := w.ch
	w.ch = nil
	w.mu.Unlock()
	if ch != nil {
		_, _ = ch.QueueDelete(w.queue, false, false, false)
		_ = ch.Close()
	}
	w.consumer.Wait()
}
