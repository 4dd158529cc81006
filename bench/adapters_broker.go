// Adapters for the broker lessons: OpenStack-style call and cast (06)
// and notifications (07).

package main

import (
	"context"
	"io"
	"log/slog"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

const (
	osloTopic   = "bench"    // the Go server's topic
	osloPyTopic = "bench-py" // the Python server's topic
	osloServer  = "s1"
	notifyQueue = "notifications.info"
)

var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

// osloClient calls (or casts) add with keyword arguments x and y.
type osloClient struct {
	t     *oslo.Transport
	c     *oslo.RPCClient
	cast  bool
	drain string // broker URL for Drain, queue topic
	topic string
}

func dialOslo(topic string, cast bool) func(context.Context, *env, string) (Client, error) {
	return func(_ context.Context, e *env, _ string) (Client, error) {
		t, err := oslo.NewTransport(e.amqpURL, oslo.TransportOptions{Logger: quietLogger})
		if err != nil {
			return nil, err
		}
		if err := t.Connect(); err != nil {
			t.Close()
			return nil, err
		}
		c := oslo.NewRPCClient(t, oslo.Target{Topic: topic}, oslo.ClientOptions{Timeout: 30 * time.Second})
		return &osloClient{t: t, c: c, cast: cast, drain: e.drainURL, topic: topic}, nil
	}
}

func (c *osloClient) Add(ctx context.Context, x, y int) (int, error) {
	args := oslo.Args{"x": x, "y": y}
	if c.cast {
		return 5, c.c.Cast(ctx, "add", args)
	}
	var sum int
	err := c.c.Call(ctx, "add", args, &sum)
	return checkSum(sum, err)
}

func (c *osloClient) Drain(ctx context.Context) error {
	return drainQueue(ctx, c.drain, c.topic)
}

func (c *osloClient) Close() error {
	c.c.Close()
	return c.t.Close()
}

// serveOslo runs the course's CalculatorEndpoint on topic bench
// with a pool executor of 64 (oslo's default executor_thread_pool_size).
func serveOslo(url string) (func(), error) {
	t, err := oslo.NewTransport(url, oslo.TransportOptions{Logger: quietLogger})
	if err != nil {
		return nil, err
	}
	s, err := oslo.NewRPCServer(t, oslo.Target{Topic: osloTopic, Server: osloServer},
		[]any{endpoints.CalculatorEndpoint{}}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(64)})
	if err != nil {
		t.Close()
		return nil, err
	}
	if err := s.Start(); err != nil {
		t.Close()
		return nil, err
	}
	return func() { s.Stop(); s.Wait(); t.Close() }, nil
}

// notifyClient sends one INFO notification per "call".
type notifyClient struct {
	n     *notify.Notifier
	close func() error
	drain string
}

type addPayload struct {
	X int `json:"x"`
	Y int `json:"y"`
}

func dialNotify(_ context.Context, e *env, _ string) (Client, error) {
	conn, err := notify.Dial(e.amqpURL)
	if err != nil {
		return nil, err
	}
	n, err := notify.NewNotifier(conn, notify.NotifierConfig{PublisherID: "bench.client", Logger: quietLogger})
	if err != nil {
		conn.Close()
		return nil, err
	}
	return &notifyClient{n: n, close: conn.Close, drain: e.drainURL}, nil
}

func (c *notifyClient) Add(ctx context.Context, x, y int) (int, error) {
	return 5, c.n.Info(ctx, "bench.add", addPayload{x, y})
}

func (c *notifyClient) Drain(ctx context.Context) error {
	return drainQueue(ctx, c.drain, notifyQueue)
}

func (c *notifyClient) Close() error {
	c.n.Close()
	return c.close()
}

// infoCounter is the listener's endpoint: it takes INFO
// notifications and does nothing with them.
type infoCounter struct{}

func (infoCounter) Info(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	return nil
}

// serveNotify runs a listener on the default target.
func serveNotify(ctx context.Context, url string) (func(), error) {
	conn, err := notify.Dial(url)
	if err != nil {
		return nil, err
	}
	l, err := notify.NewNotificationListener(conn, notify.ListenerConfig{
		Endpoints: []any{infoCounter{}},
		Logger:    quietLogger,
	})
	if err != nil {
		conn.Close()
		return nil, err
	}
	if err := l.Start(ctx); err != nil {
		conn.Close()
		return nil, err
	}
	return func() { l.Stop(); conn.Close() }, nil
}
