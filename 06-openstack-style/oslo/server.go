// The article's server side: [RPCServer] listens on a target, hands each
// request to the dispatcher through the executor, and answers calls.
// Its four methods have the article's meaning:
//
//   - Start: declare the queues and begin taking messages.
//   - Stop: take no new messages; requests already running go on, and
//     the connection stays open for their replies.
//   - Wait: after Stop, block until the running requests are done,
//     then release the AMQP channels. A waited server can Start again.
//   - Reset: what a daemon does on SIGHUP. oslo.messaging 14 leaves it
//     empty (a TODO); ours forgets the duplicate-message cache.
//
// Like oslo, the server acknowledges a request just before running it:
// at most once. A request that is received but not yet running when
// Stop comes is given back to the broker (requeued) for another server.

package oslo

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// ServerOptions are the optional parts of a server.
type ServerOptions struct {
	// Executor runs the requests; nil means a BlockingExecutor, as
	// in the article's executor='blocking'.
	Executor Executor
	// Serializer for context, arguments and results; nil means JSON.
	Serializer Serializer
}

// RPCServer serves the endpoints on a target (topic and server name).
type RPCServer struct {
	transport  *Transport
	target     Target
	dispatcher *Dispatcher
	executor   Executor
	log        *slog.Logger
	pub        *publisher
	dups       *idCache

	mu      sync.Mutex
	run     *serverRun // the current run; nil before Start and after Wait
	running bool       // Start was called and Stop not yet
}

// A serverRun is one Start…Stop…Wait cycle.
type serverRun struct {
	ctx      context.Context // ends at Stop: nothing new is submitted
	cancel   context.CancelFunc
	stop     chan struct{} // closed by Stop
	stopped  atomic.Bool
	loopDone chan struct{} // closed when the polling loop has returned
	fanoutQ  string

	mu   sync.Mutex
	ch   *amqp.Channel // the consuming channel (replaced on reconnect)
	tags []string
}

// NewRPCServer makes a server; it does not touch the broker until
// Start. The target needs a topic and a server name.
func NewRPCServer(t *Transport, target Target, endpoints []any, opts ServerOptions) (*RPCServer, error) {
	if target.Topic == "" || target.Server == "" {
		return nil, &InvalidTarget{Target: target, Reason: "a server's target needs a topic and a server name"}
	}
	d, err := NewDispatcher(endpoints, opts.Serializer)
	if err != nil {
		return nil, err
	}
	if opts.Executor == nil {
		opts.Executor = NewBlockingExecutor()
	}
	return &RPCServer{
		transport:  t,
		target:     target,
		dispatcher: d,
		executor:   opts.Executor,
		log:        t.log.With("server", target.Server, "topic", target.Topic),
		pub:        newPublisher(t),
		dups:       newIDCache(16),
	}, nil
}

// Target is what the server listens on.
func (s *RPCServer) Target() Target { return s.target }

// Dispatcher is the server's dispatcher.
func (s *RPCServer) Dispatcher() *Dispatcher { return s.dispatcher }

// Start declares the exchanges and queues and begins consuming. When it
// returns without error, messages for the target reach this server.
// Starting a running server does nothing.
func (s *RPCServer) Start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.running {
		s.log.Warn("server already started; ignoring Start")
		return nil
	}
	if s.run != nil {
		return errors.New("oslo: Start after Stop needs Wait first")
	}
	ctx, cancel := context.WithCancel(context.Background())
	run := &serverRun{
		ctx: ctx, cancel: cancel,
		stop:     make(chan struct{}),
		loopDone: make(chan struct{}),
		fanoutQ:  s.target.Topic + "_fanout_" + newUUIDHex(),
	}
	chans, err := s.listen(run)
	if err != nil {
		cancel()
		return err
	}
	s.run, s.running = run, true
	go s.poll(run, chans)
	return nil
}

// listen declares the topology and starts one consumer per queue, on a
// fresh channel whose prefetch is the executor's size.
func (s *RPCServer) listen(run *serverRun) ([]<-chan amqp.Delivery, error) {
	t := s.transport
	ch, err := t.channel(listening)
	if err != nil {
		return nil, err
	}
	fail := func(err error) ([]<-chan amqp.Delivery, error) {
		_ = ch.Close()
		return nil, err
	}
	if err := ch.Qos(s.executor.Slots(), 0, false); err != nil {
		return fail(fmt.Errorf("set prefetch: %w", err))
	}
	topicEx := t.topicExchange(s.target)
	if err := topicEx.declare(ch); err != nil {
		return fail(err)
	}
	shared, own := s.target.Topic, s.target.Topic+"."+s.target.Server
	for _, q := range []string{shared, own} {
		if err := t.declareTopicQueue(ch, topicEx.name, q); err != nil {
			return fail(err)
		}
	}
	fanoutEx := fanoutExchange(s.target.Topic)
	if err := fanoutEx.declare(ch); err != nil {
		return fail(err)
	}
	if err := t.declareTransientQueue(ch, run.fanoutQ); err != nil {
		return fail(err)
	}
	if err := ch.QueueBind(run.fanoutQ, s.target.Topic, fanoutEx.name, false, nil); err != nil {
		return fail(fmt.Errorf("bind queue %s: %w", run.fanoutQ, err))
	}
	var chans []<-chan amqp.Delivery
	var tags []string
	for _, q := range []string{shared, own, run.fanoutQ} {
		tag := fmt.Sprintf("%s:%s:%s", s.target.Server, q, newUUIDHex()[:8])
		d, err := ch.Consume(q, tag,
			false, // manual ack: we ack just before running the request
			false, // exclusive
			false, // no-local
			false, // no-wait
			nil)
		if err != nil {
			return fail(fmt.Errorf("consume %s: %w", q, err))
		}
		chans = append(chans, d)
		tags = append(tags, tag)
	}
	run.mu.Lock()
	run.ch, run.tags = ch, tags
	run.mu.Unlock()
	return chans, nil
}

// poll takes messages from the three queues and submits them to the
// executor until Stop. If the connection is lost it connects again.
func (s *RPCServer) poll(run *serverRun, chans []<-chan amqp.Delivery) {
	defer close(run.loopDone)
	for {
		if !s.pollUntilClosed(run, chans) {
			return // stopped, and every delivery given back
		}
		s.log.Warn("lost the broker; reconnecting")
		run.mu.Lock()
		_ = run.ch.Close() // usually closed already; if not, it is no use
		run.mu.Unlock()
		backoff := 100 * time.Millisecond
		for {
			select {
			case <-run.stop:
				return
			case <-time.After(backoff):
			}
			var err error
			if chans, err = s.listen(run); err == nil {
				s.log.Info("reconnected")
				break
			}
			s.log.Warn("reconnect failed", "err", err, "retry_in", backoff)
			backoff = min(2*backoff, 5*time.Second)
		}
	}
}

// pollUntilClosed returns false after a Stop, true when every
// delivery channel closed without one (the channel or connection died).
func (s *RPCServer) pollUntilClosed(run *serverRun, chans []<-chan amqp.Delivery) bool {
	a, b, c := chans[0], chans[1], chans[2]
	for a != nil || b != nil || c != nil {
		var d amqp.Delivery
		var ok bool
		select {
		case <-run.stop:
			s.cancelConsumers(run)
			s.giveBack(a, b, c)
			return false
		case d, ok = <-a:
			if !ok {
				a = nil
				continue
			}
		case d, ok = <-b:
			if !ok {
				b = nil
				continue
			}
		case d, ok = <-c:
			if !ok {
				c = nil
				continue
			}
		}
		if err := s.executor.Submit(run.ctx, func() { s.handle(run, d) }); err != nil {
			_ = d.Nack(false, true) // stopped while waiting for a free slot
		}
	}
	select {
	case <-run.stop:
		return false
	default:
		return true
	}
}

// cancelConsumers tells the broker to send this server nothing more.
// The polling loop does it (not Stop), so it always cancels the
// consumers it is reading from, even right after a reconnect.
func (s *RPCServer) cancelConsumers(run *serverRun) {
	run.mu.Lock()
	ch, tags := run.ch, run.tags
	run.mu.Unlock()
	for _, tag := range tags {
		if err := ch.Cancel(tag, false); err != nil {
			// The channel is unusable: closing it gives every
			// unacknowledged message back to the broker.
			_ = ch.Close()
			return
		}
	}
}

// giveBack requeues what the broker had already sent when Stop came.
// The delivery channels close once the consumers are cancelled.
func (s *RPCServer) giveBack(chans ...<-chan amqp.Delivery) {
	for _, c := range chans {
		if c == nil {
			continue
		}
		for d := range c {
			_ = d.Nack(false, true)
		}
	}
}

// handle runs one message: read it, acknowledge it, drop duplicates,
// dispatch it and answer a call.
func (s *RPCServer) handle(run *serverRun, d amqp.Delivery) {
	if run.stopped.Load() {
		_ = d.Nack(false, true) // arrived after Stop: for another server
		return
	}
	req, err := readRequest(d)
	if err != nil {
		s.log.Warn("rejecting bad message", "err", err, "routing_key", d.RoutingKey)
		_ = d.Reject(false)
		var me *MessageError
		if errors.As(err, &me) && me.MsgID != "" && me.ReplyQ != "" {
			s.sendReply(me.ReplyQ, &Reply{Failure: Builtin("ValueError", "%v", err), Ending: true, MsgID: me.MsgID})
		}
		return
	}
	if err := d.Ack(false); err != nil {
		s.log.Warn("cannot acknowledge; skipping message", "err", err)
		return
	}
	if req.UniqueID != "" && s.dups.seenBefore(req.UniqueID) {
		s.log.Warn("ignoring duplicate message", "unique_id", req.UniqueID, "msg_id", req.MsgID)
		return
	}
	s.dispatch(req)
}

// readRequest checks the content type (oslo skips a message without
// one) and decodes the body.
func readRequest(d amqp.Delivery) (*Request, error) {
	req, err := decodeRequest(d.Body)
	if d.ContentType != contentType {
		me := &MessageError{Reason: fmt.Sprintf("content_type is %q, want %q", d.ContentType, contentType)}
		if req != nil {
			me.MsgID, me.ReplyQ = req.MsgID, req.ReplyQ
		} else if e := new(MessageError); errors.As(err, &e) {
			me.MsgID, me.ReplyQ = e.MsgID, e.ReplyQ
		}
		return nil, me
	}
	return req, err
}

// dispatch calls the method and, for a call, sends the one reply with
// ending: true. While it runs, a caller that set _timeout gets a
// heartbeat every _timeout/2 seconds; one that did not gets none (the
// Python client fails on a heartbeat it did not ask for).
func (s *RPCServer) dispatch(req *Request) {
	var heartbeats sync.WaitGroup
	done := make(chan struct{})
	if req.IsCall() && req.Timeout != nil {
		// oslo: int(_timeout) / 2, and at least a second.
		interval := time.Duration(float64(int(*req.Timeout)) / 2 * float64(time.Second))
		if interval >= time.Second {
			heartbeats.Add(1)
			go func() {
				defer heartbeats.Done()
				tick := time.NewTicker(interval)
				defer tick.Stop()
				for {
					select {
					case <-done:
						return
					case <-tick.C:
						s.sendReply(req.ReplyQ, &Reply{Ending: false, MsgID: req.MsgID})
					}
				}
			}()
		}
	}
	result, err := s.dispatcher.Dispatch(context.Background(), req)
	close(done)
	heartbeats.Wait()

	if err != nil {
		s.log.Warn("method failed", "method", req.Method, "msg_id", req.MsgID, "err", err)
	}
	if !req.IsCall() {
		return
	}
	reply := &Reply{Ending: true, MsgID: req.MsgID}
	if err != nil {
		reply.Failure = failureFrom(err)
	} else if data, merr := pyfmt.JSON(result); merr != nil {
		reply.Failure = Builtin("TypeError", "result of %s() is not JSON serializable: %v", req.Method, merr)
	} else {
		reply.Result = data
	}
	s.sendReply(req.ReplyQ, reply)
}

// sendReply publishes a reply through the default exchange to the
// caller's reply queue.
func (s *RPCServer) sendReply(replyQ string, r *Reply) {
	r.UniqueID = newUUIDHex()
	inner, err := encodeReply(r)
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = s.pub.publish(ctx, exchangeSpec{}, replyQ, publishing(wrapEnvelope(inner), 0))
	}
	if err != nil {
		s.log.Warn("cannot send reply", "msg_id", r.MsgID, "reply_q", replyQ, "err", err)
	}
}

// Stop stops taking messages and returns at once; requests already
// running go on. It may be called from inside an endpoint method (the
// article's ServerControlEndpoint.stop).
func (s *RPCServer) Stop() {
	s.mu.Lock()
	run := s.run
	if !s.running || run == nil {
		s.mu.Unlock()
		return
	}
	s.running = false
	s.mu.Unlock()

	// From here on, no message starts: a task that was about to run
	// sees the flag and gives its message back; the polling loop sees
	// stop, cancels the consumers and requeues what was sent already.
	run.stopped.Store(true)
	run.cancel()
	close(run.stop)
}

// Wait blocks until Stop has been called and every running request is
// done, then releases the server's channels. Do not call it from inside
// an endpoint method: it would wait for itself.
func (s *RPCServer) Wait() {
	s.mu.Lock()
	run := s.run
	s.mu.Unlock()
	if run == nil {
		return
	}
	<-run.stop
	<-run.loopDone
	s.executor.Wait()
	run.mu.Lock()
	if run.ch != nil {
		_ = run.ch.Close()
	}
	run.mu.Unlock()
	s.pub.close()
	s.mu.Lock()
	if s.run == run {
		s.run = nil
	}
	s.mu.Unlock()
}

// Reset is for a daemon's SIGHUP: it forgets the duplicate-message cache.
func (s *RPCServer) Reset() {
	s.dups.reset()
}

// idCache remembers the last few _unique_ids, as oslo's listener does
// (16), to drop a message delivered twice.
type idCache struct {
	mu   sync.Mutex
	ids  []string
	size int
}

func newIDCache(size int) *idCache { return &idCache{size: size} }

// seenBefore reports whether id was seen, and remembers it.
func (c *idCache) seenBefore(id string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, x := range c.ids {
		if x == id {
			return true
		}
	}
	c.ids = append(c.ids, id)
	if len(c.ids) > c.size {
		c.ids = c.ids[1:]
	}
	return false
}

func (c *idCache) reset() {
	c.mu.Lock()
	c.ids = nil
	c.mu.Unlock()
}
