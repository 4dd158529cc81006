package mq

import (
	"context"
	"errors"
	"fmt"
	"strconv"
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
	r := &failoverRun{boundary: -1}
	r.progress.Store(time.Now().UnixNano())
	consumer := &AckingConsumer{
		Dialer:  Dialer{URLs: f.ConsumeURLs, Name: "consumer", Logf: f.Logf},
		Declare: declare, Queue: f.Queue, Handle: r.handle,
	}
	killNow := make(chan struct{})
	dead := make(chan struct{}) // closed once the node is dead, or the kill failed
	var once sync.Once
	publisher := &ConfirmingPublisher{
		Dialer:  Dialer{URLs: f.PublishURLs, Name: "publisher", Logf: f.Logf},
		Declare: declare, Queue: f.Queue, Messages: f.Messages,
		Confirmed: func(_, total int) {
			if total >= f.KillAfter {
				// The publisher holds still until the node is dead, so
				// the kill lands mid-load however fast the load runs.
				once.Do(func() { close(killNow); <-dead })
			}
		},
	}
	cctx, stopConsumer := context.WithCancel(ctx)
	defer stopConsumer()
	consumed := make(chan error, 1)
	go func() { consumed <- consumer.Run(cctx) }()
	killed := make(chan error, 1)
	go func() { killed <- f.kill(ctx, r, killNow, dead, publisher) }()

	stopTicker := f.tick(ctx, publisher, consumer)
	pubErr := publisher.Run(ctx)
	killErr := <-killed
	r.drain(consumer, consumed, f.Messages, f.Drain)
	stopConsumer()
	consErr := <-consumed
	stopTicker()

	c := r.counts(f, publisher, consumer)
	c.PublisherGaveUp, c.ConsumerFinishedEarly = pubErr, consErr
	if killErr != nil {
		return c, fmt.Errorf("kill and restart the queue's node: %w", killErr)
	}
	return c, errors.Join(pubErr, consErr)
}

// failoverRun is what one run's goroutines share.
type failoverRun struct {
	mu       sync.Mutex
	victim   string
	killedAt time.Time
	boundary int64 // the first message id published after the kill; -1 before it
	recovery time.Duration
	progress atomic.Int64 // unix nanos of the last new message
}

// handle is the consumer's work: note the time, and the first message
// published after the kill.
func (r *failoverRun) handle(d amqp.Delivery) {
	r.progress.Store(time.Now().UnixNano())
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.boundary >= 0 && r.recovery == 0 && int64(messageID(d)) >= r.boundary {
		r.recovery = time.Since(r.killedAt)
	}
}

// kill waits for the signal, asks where the queue lives, and kills and
// restarts that node. It closes dead as soon as the node is dead (or the
// kill has failed), to let the publisher go on.
func (f *Failover) kill(ctx context.Context, r *failoverRun, now <-chan struct{}, dead chan<- struct{}, p *ConfirmingPublisher) error {
	var once sync.Once
	release := func() { once.Do(func() { close(dead) }) }
	defer release()
	select {
	case <-now:
	case <-ctx.Done():
		return ctx.Err()
	}
	node, err := QueueNode(ctx, f.Management, "/", f.Queue)
	if err != nil {
		return err
	}
	return f.killAndRestart(ctx, node, func() {
		// The node is dead now: what the publisher sends from here on can
		// only reach a survivor.
		r.mu.Lock()
		r.victim, r.killedAt, r.boundary = node, time.Now(), p.sent.Load()
		r.mu.Unlock()
		release()
	})
}

// drain lets the consumer go on until it has every message, or nothing new
// came for idle, or it stopped by itself.
func (r *failoverRun) drain(c *AckingConsumer, consumed chan error, messages int, idle time.Duration) {
	t := time.NewTicker(200 * time.Millisecond)
	defer t.Stop()
	for c.Handled.Len() < messages && time.Since(time.Unix(0, r.progress.Load())) < idle {
		select {
		case err := <-consumed:
			consumed <- err // for the caller
			return
		case <-t.C:
		}
	}
}

// counts compares what was confirmed with what was consumed.
func (r *failoverRun) counts(f *Failover, p *ConfirmingPublisher, c *AckingConsumer) Counts {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := Counts{QueueType: f.QueueType, Killed: r.victim, Messages: f.Messages, Recovery: r.recovery}
	n.Redelivered, n.Duplicates, n.ConsumerReconnects = c.Stats()
	n.PublisherReconnects = int(p.reconnects.Load())
	n.Consumed = c.Handled.Len()
	for id := range f.Messages {
		if p.IsConfirmed(id) {
			n.Confirmed++
			if !c.Handled.Seen(strconv.Itoa(id)) {
				n.Lost++
			}
		}
	}
	return n
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
