// A Transport is the article's "transport": how this process reaches
// the message broker. It holds two AMQP connections, each dialed when
// first needed and dialed again (trying each host of the transport_url
// in turn) when it is gone: one for listening (consumers and their acks)
// and one for sending (requests, replies, casts). Clients and servers open
// their own channels on them.
//
// Why two: an AMQP connection is one TCP socket, and every frame written
// to it takes the same lock. With a single connection, a busy server's
// acks and its replies queue behind each other. oslo.messaging also
// keeps its publishers off the listening connection (a pool of
// connections for sending).

package oslo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"strings"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// TransportOptions are the settings oslo.messaging reads from its config
// file rather than from the URL.
//
// The first connection is retried, as oslo.messaging does, because
// a broker that is still starting (or restarting with the whole
// deployment) refuses or resets connections for a while. Each failed
// attempt (every host tried once) is logged with its error and the
// delay before the next; the delay starts at RetryInterval and
// doubles up to MaxRetryInterval. After ConnectAttempts attempts the
// transport gives up with an error that wraps [ErrBrokerUnreachable].
// Once connected, a lost connection is dialed again at the next use,
// starting with the next host of the URL: the server listens again, a
// publish is sent again, a call waiting for its reply fails.
type TransportOptions struct {
	// ControlExchange is the topic exchange used when a target names
	// none (oslo's control_exchange, default "openstack").
	ControlExchange string
	// ResponseTimeout is how long a call waits by default (oslo's
	// rpc_response_timeout, default 60 s).
	ResponseTimeout time.Duration
	// Logger receives what goes wrong (bad messages, lost connections).
	// Default: slog.Default().
	Logger *slog.Logger
	// DialTimeout bounds each connection attempt (default 5 s).
	DialTimeout time.Duration

	// RetryInterval is the first delay (oslo's rabbit_retry_interval,
	// default 1 s).
	RetryInterval time.Duration
	// MaxRetryInterval caps the delay (oslo's rabbit_interval_max,
	// default 30 s).
	MaxRetryInterval time.Duration
	// ConnectAttempts is how many attempts the first connection gets
	// (default 10: about two and a half minutes with the default delays).
	// 1 means no retry.
	ConnectAttempts int

	// QuorumQueues is oslo's rabbit_quorum_queue set in the config file:
	// true here or rabbit_quorum_queue=true in the URL makes the topic
	// queues quorum queues (see [DriverOptions.QuorumQueues]).
	QuorumQueues bool
}

// Transport is safe for use by many goroutines.
type Transport struct {
	url  *TransportURL
	opts TransportOptions
	log  *slog.Logger

	closing   chan struct{} // closed by Close, ends a retry's wait
	closeOnce sync.Once

	mu        sync.Mutex
	conns     [2]*amqp.Connection // indexed by usage
	next      int                 // the host to try first on the next dial
	lost      [2]bool             // the connection for a usage was lost, not yet replaced
	connected bool                // a connection has succeeded once
	closed    bool
}

// A usage says which of the transport's connections a channel is for.
type usage int

const (
	listening usage = iota // consumers, and the acks they send
	sending                // publishes
)

func (u usage) String() string { return [...]string{"listen", "send"}[u] }

// ErrTransportClosed is returned after Close.
var ErrTransportClosed = errors.New("oslo: transport closed")

// ErrBrokerUnreachable is wrapped by the error of a first connection
// that failed [TransportOptions.ConnectAttempts] times.
var ErrBrokerUnreachable = errors.New("oslo: broker unreachable")

// NewTransport parses transportURL; it does not dial yet (like
// oslo's get_rpc_transport). The first client or server that needs the
// broker dials it.
func NewTransport(transportURL string, opts TransportOptions) (*Transport, error) {
	u, err := ParseTransportURL(transportURL)
	if err != nil {
		return nil, err
	}
	if opts.ControlExchange == "" {
		opts.ControlExchange = "openstack"
	}
	if opts.ResponseTimeout <= 0 {
		opts.ResponseTimeout = 60 * time.Second
	}
	if opts.DialTimeout <= 0 {
		opts.DialTimeout = 5 * time.Second
	}
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.RetryInterval <= 0 {
		opts.RetryInterval = time.Second
	}
	if opts.MaxRetryInterval <= 0 {
		opts.MaxRetryInterval = 30 * time.Second
	}
	if opts.ConnectAttempts <= 0 {
		opts.ConnectAttempts = 10
	}
	if opts.QuorumQueues {
		u.Options.QuorumQueues = true
	}
	return &Transport{url: u, opts: opts, log: opts.Logger, closing: make(chan struct{})}, nil
}

// URL is the parsed transport_url.
func (t *Transport) URL() *TransportURL { return t.url }

// Options are the options the transport was made with, defaults filled in.
func (t *Transport) Options() TransportOptions { return t.opts }

// Connect dials now, so a program can report an unreachable broker at
// start-up instead of at the first call. Like every first connection, it
// retries as the [TransportOptions] say; [Transport.Close] ends the
// retries.
func (t *Transport) Connect() error {
	for _, u := range []usage{listening, sending} {
		if _, err := t.connection(u); err != nil {
			return err
		}
	}
	return nil
}

// connection returns the live connection for u, dialing the hosts in
// turn if there is none. Until the transport has connected once, it
// retries with backoff (see [TransportOptions]).
func (t *Transport) connection(u usage) (*amqp.Connection, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, ErrTransportClosed
	}
	if c := t.conns[u]; c != nil && !c.IsClosed() {
		return c, nil
	}
	if t.connected {
		if t.conns[u] != nil && !t.lost[u] {
			t.lost[u] = true
			t.log.Warn("lost the connection to the broker", "for", u.String(), "host", t.conns[u].RemoteAddr().String())
		}
		return t.dial(u)
	}
	start := time.Now()
	delay := t.opts.RetryInterval
	for attempt := 1; ; attempt++ {
		conn, err := t.dial(u)
		if err == nil {
			t.connected = true
			if attempt > 1 {
				t.log.Info("connected to the broker", "attempt", attempt, "after", time.Since(start).Round(time.Millisecond))
			}
			return conn, nil
		}
		if attempt >= t.opts.ConnectAttempts {
			t.log.Error("giving up on the broker", "attempts", attempt, "err", err)
			return nil, fmt.Errorf("%w after %d attempts in %v: %w",
				ErrBrokerUnreachable, attempt, time.Since(start).Round(time.Millisecond), err)
		}
		t.log.Warn("cannot connect to the broker; retrying",
			"attempt", attempt, "of", t.opts.ConnectAttempts, "err", err, "retry_in", delay)
		// Close must not wait for the retries: it signals closing
		// before it takes the lock this loop holds.
		timer := time.NewTimer(delay)
		select {
		case <-t.closing:
			timer.Stop()
			return nil, ErrTransportClosed
		case <-timer.C:
		}
		delay = min(2*delay, t.opts.MaxRetryInterval)
	}
}

// dial tries each host once, in the order of the failover strategy:
// round-robin starts after the last one that worked (so a host that just
// died is tried last), shuffle tries them in a random order. The error
// lists every host that failed. t.mu is held.
func (t *Transport) dial(u usage) (*amqp.Connection, error) {
	var failures []string
	n := len(t.url.Hosts)
	order := make([]int, n)
	for i := range order {
		order[i] = (t.next + i) % n
	}
	if t.url.Options.FailoverStrategy == "shuffle" {
		rand.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
	}
	for i, hi := range order {
		h := t.url.Hosts[hi]
		conn, err := amqp.DialConfig(t.url.amqpURL(h), amqp.Config{
			Heartbeat:  10 * time.Second,
			Locale:     "en_US",
			Dial:       amqp.DefaultDial(t.opts.DialTimeout),
			Properties: amqp.Table{"connection_name": "oslo-go " + u.String()},
		})
		if err != nil {
			failures = append(failures, fmt.Sprintf("%s: %v", h.Address(), err))
			continue
		}
		if i > 0 || t.lost[u] {
			t.log.Info("failed over to another broker", "host", h.Address(), "for", u.String())
		}
		t.lost[u] = false
		// Next time, start with the host after this one: if this one
		// dies, its successor is the first to try.
		t.next = (hi + 1) % n
		t.conns[u] = conn
		return conn, nil
	}
	return nil, fmt.Errorf("connect to broker (vhost %q): %s", t.url.VirtualHost, strings.Join(failures, "; "))
}

// channel opens a new AMQP channel on the live connection for u.
func (t *Transport) channel(u usage) (*amqp.Channel, error) {
	conn, err := t.connection(u)
	if err != nil {
		return nil, err
	}
	ch, err := conn.Channel()
	if err != nil {
		return nil, fmt.Errorf("open channel: %w", err)
	}
	return ch, nil
}

// Close closes the connections; clients and servers using them stop
// working.
func (t *Transport) Close() error {
	t.closeOnce.Do(func() { close(t.closing) })
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	var errs []error
	for _, c := range t.conns {
		if c == nil || c.IsClosed() {
			continue
		}
		if err := c.Close(); err != nil && !errors.Is(err, amqp.ErrClosed) && !errors.Is(err, io.EOF) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// durable is oslo's rule for the topic exchange and queues: durable
// when asked, and always with quorum queues (which are durable).
func (t *Transport) durable() bool {
	return t.url.Options.DurableQueues || t.url.Options.QuorumQueues
}

// exchangeFor is the topic exchange for a target.
func (t *Transport) exchangeFor(target Target) string {
	if target.Exchange != "" {
		return target.Exchange
	}
	return t.opts.ControlExchange
}
