// The article's client side: [RPCClient] with Call (send and wait for
// the answer), Cast (send, no answer) and, through [Prepare], casts to
// every server (fanout) or calls to one named server.
//
// A call publishes the request to the topic exchange with routing key
// <topic> (or <topic>.<server>), carrying _msg_id and _reply_q;
// it then waits on the client's reply queue for a reply with that
// _msg_id and ending: true, or gives up after the timeout.

package oslo

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// Args are the keyword arguments of a call: Args{"arg": "hello"} is
// Python's arg="hello".
type Args map[string]any

// ClientOptions are the client-wide settings.
type ClientOptions struct {
	// Timeout of a call; 0 means the transport's ResponseTimeout (60 s).
	Timeout time.Duration
	// CallMonitorTimeout turns on call monitoring: it is sent as
	// _timeout, the server then sends a heartbeat every half of it while
	// it works, and the call fails if heartbeats stop for that long
	// (the overall Timeout still applies). 0: off, _timeout is null.
	CallMonitorTimeout time.Duration
	// Serializer for context, arguments and results; nil means JSON.
	Serializer Serializer
}

// RPCClient is safe for concurrent use; many calls can wait at once on
// its one reply queue.
type RPCClient struct {
	transport *Transport
	target    Target
	opts      ClientOptions
	shared    *clientShared
}

// clientShared is what a client and its prepared copies share: one
// publishing channel and one reply queue.
type clientShared struct {
	pub     *publisher
	replies *replyWaiter
}

// NewRPCClient makes a client for target (at least a topic).
func NewRPCClient(t *Transport, target Target, opts ClientOptions) *RPCClient {
	if opts.Serializer == nil {
		opts.Serializer = JSONSerializer{}
	}
	return &RPCClient{
		transport: t,
		target:    target,
		opts:      opts,
		shared:    &clientShared{pub: newPublisher(t), replies: newReplyWaiter(t)},
	}
}

// Prepare lists what a prepared client changes; zero values keep the
// client's own.
type Prepare struct {
	Exchange, Topic, Namespace, Version, Server string
	Fanout                                      bool
	Timeout                                     time.Duration
	CallMonitorTimeout                          time.Duration
}

// Prepare returns the client aimed elsewhere, as oslo's prepare():
// c.Prepare(Prepare{Server: "server02"}) calls one server,
// c.Prepare(Prepare{Fanout: true}).Cast(...) reaches all of them. The
// copy shares the client's connection and reply queue.
func (c *RPCClient) Prepare(p Prepare) *RPCClient {
	n := *c
	set := func(dst *string, v string) {
		if v != "" {
			*dst = v
		}
	}
	set(&n.target.Exchange, p.Exchange)
	set(&n.target.Topic, p.Topic)
	set(&n.target.Namespace, p.Namespace)
	set(&n.target.Version, p.Version)
	set(&n.target.Server, p.Server)
	if p.Fanout {
		n.target.Fanout = true
	}
	if p.Timeout > 0 {
		n.opts.Timeout = p.Timeout
	}
	if p.CallMonitorTimeout > 0 {
		n.opts.CallMonitorTimeout = p.CallMonitorTimeout
	}
	return &n
}

// Target is where this client sends.
func (c *RPCClient) Target() Target { return c.target }

// ReplyQueue is the name of the client's reply queue.
func (c *RPCClient) ReplyQueue() string { return c.shared.replies.queue }

// Close closes the client and every prepared copy of it.
func (c *RPCClient) Close() error {
	c.shared.replies.close()
	c.shared.pub.close()
	return nil
}

// Cast sends method(args) and returns once the broker has confirmed it
// (with quorum queues: once a majority of the cluster's nodes hold it);
// no answer comes back. If the connection dies first, the cast is sent
// again, through another node, until ctx ends. With Fanout it reaches
// every server of the topic.
func (c *RPCClient) Cast(ctx context.Context, method string, args Args) error {
	if c.target.Topic == "" {
		return &InvalidTarget{Target: c.target, Reason: "a cast needs a topic"}
	}
	req, err := c.request(ctx, method, args)
	if err != nil {
		return err
	}
	return c.send(ctx, req, 0)
}

// Call sends method(args), waits for the answer and decodes the result
// into reply (a pointer, or nil to ignore it). A failure on the server is
// a *RemoteError; no answer in time is a *MessagingTimeout.
func (c *RPCClient) Call(ctx context.Context, method string, args Args, reply any) error {
	if c.target.Topic == "" {
		return &InvalidTarget{Target: c.target, Reason: "a call needs a topic"}
	}
	if c.target.Fanout {
		return &InvalidTarget{Target: c.target, Reason: "a call cannot be fanout (only a cast can)"}
	}
	req, err := c.request(ctx, method, args)
	if err != nil {
		return err
	}
	timeout := c.opts.Timeout
	if timeout <= 0 {
		timeout = c.transport.opts.ResponseTimeout
	}
	req.MsgID = newUUIDHex()
	req.ReplyQ = c.shared.replies.queue
	if cm := c.opts.CallMonitorTimeout; cm > 0 {
		secs := cm.Seconds()
		req.Timeout = &secs
	}

	// Listen before sending, so even an instant reply finds its waiter.
	events, err := c.shared.replies.listen(req.MsgID)
	if err != nil {
		return fmt.Errorf("call %s: reply queue: %w", method, err)
	}
	defer c.shared.replies.unlisten(req.MsgID)
	// One deadline covers the whole call. The request may be sent again
	// if the connection dies (see Cast), but only within the call's
	// timeout. Once sent, a call is not sent again: like oslo.messaging,
	// a call whose reply is lost fails (with ErrConnectionLost or a
	// timeout) and the caller decides.
	callCtx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	if err := c.send(callCtx, req, timeout); err != nil {
		return err
	}
	result, err := c.wait(ctx, callCtx, req.MsgID, timeout, events)
	if err != nil {
		return err
	}
	return c.decodeResult(ctx, result, reply)
}

// request builds the request: arguments and context through the
// serializer, a fresh _unique_id, the target's namespace and version.
func (c *RPCClient) request(ctx context.Context, method string, args Args) (*Request, error) {
	if method == "" {
		return nil, fmt.Errorf("oslo: empty method name")
	}
	s := c.opts.Serializer
	req := &Request{
		Method:    method,
		Args:      make(map[string]any, len(args)),
		Namespace: c.target.Namespace,
		Version:   c.target.Version,
		UniqueID:  newUUIDHex(),
	}
	for k, v := range args {
		sv, err := s.SerializeEntity(ctx, v)
		if err != nil {
			return nil, fmt.Errorf("serialize argument %s: %w", k, err)
		}
		req.Args[k] = sv
	}
	dict, err := s.SerializeContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("serialize context: %w", err)
	}
	req.Context = dict
	return req, nil
}

// send publishes the request where the target says; a call's timeout
// becomes the message's expiration, so a request nobody takes in time
// does not run late.
func (c *RPCClient) send(ctx context.Context, req *Request, expiration time.Duration) error {
	inner, err := encodeRequest(req)
	if err != nil {
		return fmt.Errorf("encode %s: %w", req.Method, err)
	}
	ex, key := c.route()
	if err := c.shared.pub.publish(ctx, ex, key, publishing(wrapEnvelope(inner), expiration)); err != nil {
		return fmt.Errorf("send %s: %w", req.Method, err)
	}
	return nil
}

// route is oslo's routing: fanout to <topic>_fanout with an empty
// key, else the topic exchange with <topic> or <topic>.<server>.
func (c *RPCClient) route() (exchangeSpec, string) {
	t := c.target
	if t.Fanout {
		return fanoutExchange(t.Topic), ""
	}
	key := t.Topic
	if t.Server != "" {
		key += "." + t.Server
	}
	return c.transport.topicExchange(t), key
}

// wait waits for the reply with ending: true, until callCtx (ctx with
// the call's timeout) ends. Heartbeats (ending false, no result) renew
// the call-monitor timer; an older server's result without ending is
// kept until the ending reply comes.
func (c *RPCClient) wait(ctx, callCtx context.Context, msgID string, timeout time.Duration, events <-chan replyEvent) (json.RawMessage, error) {
	var monitor <-chan time.Time
	var monitorTimer *time.Timer
	if cm := c.opts.CallMonitorTimeout; cm > 0 {
		monitorTimer = time.NewTimer(cm)
		defer monitorTimer.Stop()
		monitor = monitorTimer.C
	}
	result := json.RawMessage("null")
	for {
		select {
		case ev := <-events:
			if ev.err != nil {
				return nil, ev.err
			}
			r := ev.reply
			if r.Failure != nil {
				return nil, &RemoteError{Failure: *r.Failure}
			}
			if string(r.Result) != "null" {
				result = r.Result
			}
			if r.Ending {
				return result, nil
			}
			if monitorTimer != nil {
				monitorTimer.Reset(c.opts.CallMonitorTimeout)
			}
		case <-monitor:
			return nil, &MessagingTimeout{MsgID: msgID, Timeout: c.opts.CallMonitorTimeout}
		case <-callCtx.Done():
			if err := ctx.Err(); err != nil {
				return nil, fmt.Errorf("waiting for reply to message ID %s: %w", msgID, err)
			}
			return nil, &MessagingTimeout{MsgID: msgID, Timeout: timeout}
		}
	}
}

// decodeResult runs the result through the serializer and into reply.
func (c *RPCClient) decodeResult(ctx context.Context, raw json.RawMessage, reply any) error {
	if reply == nil {
		return nil
	}
	// The default serializer passes entities unchanged, so the result
	// can go straight into reply; any other one sees the decoded value
	// first, and reply gets what it returns.
	if _, plain := c.opts.Serializer.(JSONSerializer); plain {
		if err := json.Unmarshal(raw, reply); err != nil {
			return fmt.Errorf("decode result into %T: %w", reply, err)
		}
		return nil
	}
	var v any
	if err := unmarshalUseNumber(raw, &v); err != nil {
		return fmt.Errorf("decode result: %w", err)
	}
	dv, err := c.opts.Serializer.DeserializeEntity(ctx, v)
	if err != nil {
		return fmt.Errorf("deserialize result: %w", err)
	}
	data, err := json.Marshal(dv)
	if err != nil {
		return fmt.Errorf("decode result: %w", err)
	}
	if err := json.Unmarshal(data, reply); err != nil {
		return fmt.Errorf("decode result into %T: %w", reply, err)
	}
	return nil
}
