// A Transport is the article's "transport": how this process reaches
// the message broker. It holds two AMQP connections, each dialed when
// first needed and dialed again (trying each host of the transport_url
// in turn) when it is gone: one for listening (consumers and their acks)
// and one for sending (requests, replies, casts). Clients and servers open
// their own channels on them.
//
// Why two: an AMQP connection is one TCP socket, and every frame written
// to it takes the same lock. With a single connection, a busy server's
// acks and its replies queue behind each other; the course's benchmark
// measured 53% of the lock contention in Channel.Ack. oslo.messaging
// also keeps its publishers off the listening connection (a pool of
// connections for sending).

package oslo

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// TransportOptions are the settings oslo.messaging reads from its config
// file rather than from the URL.
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
}

// Transport is safe for use by many goroutines.
type Transport struct {
	url  *TransportURL
	opts TransportOptions
	log  *slog.Logger

	mu     sync.Mutex
	conns  [2]*amqp.Connection // indexed by usage
	next   int                 // the host to try first on the next dial
	closed bool
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
	return &Transport{url: u, opts: opts, log: opts.Logger}, nil
}

// URL is the parsed transport_url.
func (t *Transport) URL() *TransportURL { return t.url }

// Options are the options the transport was made with, defaults filled in.
func (t *Transport) Options() TransportOptions { return t.opts }

// Connect dials now, so a program can report an unreachable broker at
// start-up instead of at the first call.
func (t *Transport) Connect() error {
	for _, u := range []usage{listening, sending} {
		if _, err := t.connection(u); err != nil {
			return err
		}
	}
	return nil
}

// connection returns the live connection for u, dialing the hosts in
// turn if there is none. The error lists every host that failed.
func (t *Transport) connection(u usage) (*amqp.Connection, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.closed {
		return nil, ErrTransportClosed
	}
	if c := t.conns[u]; c != nil && !c.IsClosed() {
		return c, nil
	}
	var failures []string
	n := len(t.url.Hosts)
	for i := 0; i < n; i++ {
		h := t.url.Hosts[(t.next+i)%n]
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
		if i > 0 {
			t.log.Info("failed over to another broker", "host", h.Address())
		}
		// Next time, start with the host after this one: if this one
		// dies, its successor is the first to try.
		t.next = (t.next + i + 1) % n
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
