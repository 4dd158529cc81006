package oslo_test

import (
	"bytes"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

func TestMain(m *testing.M) {
	code := broker.Main(m)
	closeSharedCluster()
	os.Exit(code)
}

// logBuffer collects what the library logs, so tests can check that bad
// input was logged (and never see a log after the test ended).
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// waitFor polls cond until it holds. It sets no deadline of its own (a
// busy machine may be slow, not wrong); a cond that never holds hangs
// the test until go test's -timeout, and the log says what it waited for.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	start := time.Now()
	for polls := 1; !cond(); polls++ {
		if polls%500 == 0 { // every 10 s or so
			t.Logf("still waiting for %s (%v)", what, time.Since(start).Round(time.Second))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// env is one test's broker: a fresh vhost (oslo's names are fixed, so
// tests must not share one) and a log.
type env struct {
	t      *testing.T
	url    string // amqp:// URL of the vhost (several hosts on a cluster)
	logs   *logBuffer
	quorum bool     // topic queues are quorum queues (rabbit_quorum_queue)
	query  []string // driver options every transport_url of the test carries
}

func newEnv(t *testing.T) *env {
	t.Helper()
	return &env{t: t, url: broker.Get(t).NewVhost(t), logs: &logBuffer{}}
}

// transport opens a transport to the test's vhost, closed at cleanup.
func (e *env) transport(query ...string) *oslo.Transport {
	e.t.Helper()
	u := strings.Replace(e.url, "amqp://", "rabbit://", 1)
	query = append(query, e.query...)
	if len(query) > 0 {
		u += "?" + strings.Join(query, "&")
	}
	tr, err := oslo.NewTransport(u, oslo.TransportOptions{Logger: e.transportLogger(), QuorumQueues: e.quorum})
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { tr.Close() })
	return tr
}

func (e *env) transportLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(e.logs, nil))
}

// server starts a server on topic test with a transport of its own
// (like a separate process); it is stopped and waited for at cleanup.
func (e *env) server(name string, endpoints []any, opts oslo.ServerOptions) *oslo.RPCServer {
	e.t.Helper()
	return e.serverOn(e.transport(), oslo.Target{Topic: "test", Server: name}, endpoints, opts)
}

func (e *env) serverOn(tr *oslo.Transport, target oslo.Target, endpoints []any, opts oslo.ServerOptions) *oslo.RPCServer {
	e.t.Helper()
	s, err := oslo.NewRPCServer(tr, target, endpoints, opts)
	if err != nil {
		e.t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { s.Stop(); s.Wait() })
	return s
}

// client makes a client for topic test, closed at cleanup.
func (e *env) client(opts oslo.ClientOptions) *oslo.RPCClient {
	e.t.Helper()
	c := oslo.NewRPCClient(e.transport(), oslo.Target{Topic: "test"}, opts)
	e.t.Cleanup(func() { c.Close() })
	return c
}

// raw is a plain AMQP channel on the test's vhost, to send what no
// well-behaved client sends and to look at what ours sends.
func (e *env) raw() *amqp.Channel {
	e.t.Helper()
	conn, err := amqp.Dial(e.url)
	if err != nil {
		e.t.Fatal(err)
	}
	e.t.Cleanup(func() { conn.Close() })
	ch, err := conn.Channel()
	if err != nil {
		e.t.Fatal(err)
	}
	return ch
}
