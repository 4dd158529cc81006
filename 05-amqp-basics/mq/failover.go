package mq

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Failover is the experiment "when the broker dies": a publisher with
// confirms and a consumer with acks share one queue, each connected to a
// different node of a cluster; in the middle of the load the node that
// holds the queue (a classic queue's node, a quorum queue's leader) is
// killed hard, and started again after DownFor. Both clients find a
// surviving node by themselves. [Failover.Run] counts what arrived.
type Failover struct {
	PublishURLs []string // the publisher's node list; the queue is declared on the first
	ConsumeURLs []string // the consumer's node list, best another node first
	Management  string   // a management API URL, to ask where the queue lives
	Nodes       Nodes    // kills and starts nodes
	Queue       string
	QueueType   string        // "classic" or "quorum"
	Messages    int           // how many to publish
	KillAfter   int           // confirmed messages before the kill (default Messages/2)
	DownFor     time.Duration // how long the node stays dead (default 15 s)
	Drain       time.Duration // how long the consumer waits without a new message before giving up (default 30 s)
	Logf        func(format string, args ...any)
}

// Counts is what one [Failover.Run] measured.
type Counts struct {
	QueueType   string
	Killed      string // the node that was killed
	Messages    int    // published (each at least once)
	Confirmed   int    // confirmed by the broker
	Consumed    int    // distinct messages the consumer handled
	Lost        int    // confirmed but never consumed: the number that must be 0
	Redelivered int    // deliveries the broker flagged as redelivered
	Duplicates  int    // deliveries of a message already handled (skipped)
	// Recovery is the time from the kill to the consumer's first message
	// that was published after the kill: how long the flow stood still.
	Recovery              time.Duration
	PublisherReconnects   int
	ConsumerReconnects    int
	PublisherGaveUp       error // the publisher's error, if it could not finish
	ConsumerFinishedEarly error
}

// Run runs the experiment once. The queue is deleted and declared afresh.
func (f *Failover) Run(ctx context.Context) (Counts, error) {
	f.defaults()
	declare := func(ch *amqp.Channel) error {
		_, err := ch.QueueDeclare(f.Queue, true, false, false, false, amqp.Table{"x-queue-type": f.QueueType})
		return err
	}
	if err := f.fresh(ctx, declare); err != nil {
		return Counts{}, err
	}
	var (
		mu       sync.Mutex
		killedAt time.Time
		boundary int64 = -1 // first message id published after the kill
		recovery time.Duration
		progress atomic.Int64 // unix nanos of the last new message
	)
	progress.Store(time.Now().UnixNano())
	consumer := &AckingConsumer{
		Dialer: Dialer{URLs: f.ConsumeURLs, Name: "consumer", Logf: f.Logf}, Declare: declare, Queue: f.Queue,
		Handle: func(d amqp.Delivery) {
			progress.Store(time.Now().UnixNano())
			mu.Lock()
			defer mu.Unlock()
			if boundary >= 0 && recovery == 0 && int64(messageID(d)) >= boundary {
				recovery = time.Since(killedAt)
			}
		},
	}
	killNow := make(chan struct{})
	var once sync.Once
	publisher := &ConfirmingPublisher{
		Dialer: Dialer{URLs: f.PublishURLs, Name: "publisher", Logf: f.Logf}, Declare: declare,
		Queue: f.Queue, Messages: f.Messages,
		Confirmed: func(_, total int) {
			if total >= f.KillAfter {
				once.Do(func() { close(killNow) })
			}
		},
	}
	cctx, stopConsumer := context.WithCancel(ctx)
	defer stopConsumer()
	consumed := make(chan error, 1)
	go func() { consumed <- consumer.Run(cctx) }()

	killed := make(chan error, 1)
	var victim string
	go func() {
		select {
		case <-killNow:
		case <-ctx.Done():
			killed <- ctx.Err()
			return
		}
		node, err := QueueNode(ctx, f.Management, "/", f.Queue)
		if err != nil {
			killed <- err
			return
		}
		killed <- f.killAndRestart(ctx, node, func() {
			// The node is dead now: what the publisher sends from here on
			// can only reach a survivor.
			mu.Lock()
			victim, killedAt, boundary = node, time.Now(), publisher.sent.Load()
			mu.Unlock()
		})
	}()

	stopTicker := f.tick(ctx, publisher, consumer)
	pubErr := publisher.Run(ctx)
	killErr := <-killed
	// The consumer goes on until it has every message, or nothing new came
	// for a while.
	for consumer.Handled.Len() < f.Messages && time.Since(time.Unix(0, progress.Load())) < f.Drain {
		select {
		case err := <-consumed:
			consumed <- err
		case <-time.After(200 * time.Millisecond):
		}
		if len(consumed) > 0 || ctx.Err() != nil {
			break
		}
	}
	stopConsumer()
	consErr := <-consumed
	stopTicker()

	c := Counts{QueueType: f.QueueType, Killed: victim, Messages: f.Messages, Recovery: recovery,
		PublisherGaveUp: pubErr, ConsumerFinishedEarly: consErr}
	c.Redelivered, c.Duplicates, c.ConsumerReconnects = consumer.Stats()
	c.PublisherReconnects = int(publisher.reconnects.Load())
	c.Consumed = consumer.Handled.Len()
	for id := range f.Messages {
		if publisher.IsConfirmed(id) {
			c.Confirmed++
			if !consumer.Handled.Seen(fmt.Sprint(id)) {
				c.Lost++
			}
		}
	}
	if killErr != nil {
		return c, fmt.Errorf("kill and restart the queue's node: %w", killErr)
	}
	return c, errors.Join(pubErr, consErr)
}

func (f *Failover) defaults() {
	if f.KillAfter <= 0 {
		f.KillAfter = f.Messages / 2
	}
	if f.DownFor <= 0 {
		f.DownFor = 15 * time.Second
	}
	if f.Drain <= 0 {
		f.Drain = 30 * time.Second
	}
	if f.Logf == nil {
		f.Logf = (&Dialer{}).logf
	}
}

// fresh deletes what a previous run left and declares the queue through
// the publisher's first node, which is where it then lives.
func (f *Failover) fresh(ctx context.Context, declare func(*amqp.Channel) error) error {
	d := Dialer{URLs: f.PublishURLs, Name: "setup", Logf: f.Logf}
	conn, _, err := d.Dial(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		return err
	}
	if _, err := ch.QueueDelete(f.Queue, false, false, false); err != nil {
		return fmt.Errorf("delete queue %s: %w", f.Queue, err)
	}
	if err := declare(ch); err != nil {
		return fmt.Errorf("declare queue %s: %w", f.Queue, err)
	}
	return nil
}

// killAndRestart kills node, calls dead, waits DownFor and starts the
// node again.
func (f *Failover) killAndRestart(ctx context.Context, node string, dead func()) error {
	f.Logf("kill: SIGKILL to %s, the node of queue %s", node, f.Queue)
	if err := f.Nodes.Kill(ctx, node); err != nil {
		return err
	}
	dead()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(f.DownFor):
	}
	f.Logf("kill: starting %s again after %v", node, f.DownFor)
	return f.Nodes.Start(ctx, node)
}

// tick logs the counts every two seconds, so a stall shows as it happens.
func (f *Failover) tick(ctx context.Context, p *ConfirmingPublisher, c *AckingConsumer) (stop func()) {
	ctx, stop = context.WithCancel(ctx)
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				p.mu.Lock()
				confirmed := p.total
				p.mu.Unlock()
				f.Logf("progress: %d confirmed, %d consumed", confirmed, c.Handled.Len())
			}
		}
	}()
	return stop
}
