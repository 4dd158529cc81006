// Shared test helpers: the broker (one container per package run, a
// fresh vhost per test), a recording endpoint, and a log buffer.

package notify

import (
	"bytes"
	"context"
	"encoding/json"

	"log/slog"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// dial connects to a fresh vhost and closes the connection at the
// end of the test.
func dial(t testing.TB) (*amqp.Connection, string) {
	t.Helper()
	u := broker.Get(t).NewVhost(t)
	return dialURL(t, u), u
}

func dialURL(t testing.TB, u string) *amqp.Connection {
	t.Helper()
	conn, err := Dial(u)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

func newNotifier(t testing.TB, conn *amqp.Connection, cfg NotifierConfig) *Notifier {
	t.Helper()
	n, err := NewNotifier(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// startListener starts a listener, stopped at the end of the test.
func startListener(t testing.TB, conn *amqp.Connection, cfg ListenerConfig) *NotificationListener {
	t.Helper()
	l, err := NewNotificationListener(conn, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := l.Stop(); err != nil {
			t.Errorf("stop listener: %v", err)
		}
	})
	return l
}

// event is one endpoint call as a recorder saw it.
type event struct {
	Method      Priority // which method was called
	PublisherID string
	EventType   string
	Payload     any
	Metadata    Metadata
	Context     RequestContext
}

// recorder is an endpoint with all seven methods; each call is sent
// to events. reply, when set, decides what a call returns.
type recorder struct {
	events chan event
	reply  func(event) error
}

func newRecorder() *recorder { return &recorder{events: make(chan event, 1000)} }

func (r *recorder) record(ctx context.Context, p Priority, pub, et string, payload any, md Metadata) error {
	e := event{Method: p, PublisherID: pub, EventType: et, Payload: payload,
		Metadata: md, Context: RequestContextFrom(ctx)}
	r.events <- e
	if r.reply != nil {
		return r.reply(e)
	}
	return nil
}

func (r *recorder) Audit(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityAudit, pub, et, payload, md)
}
func (r *recorder) Debug(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityDebug, pub, et, payload, md)
}
func (r *recorder) Info(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityInfo, pub, et, payload, md)
}
func (r *recorder) Warn(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityWarn, pub, et, payload, md)
}
func (r *recorder) Error(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityError, pub, et, payload, md)
}
func (r *recorder) Critical(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PriorityCritical, pub, et, payload, md)
}
func (r *recorder) Sample(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return r.record(ctx, PrioritySample, pub, et, payload, md)
}

// next waits for the recorder's next event. It sets no deadline of its
// own: an event that never comes hangs the test until go test's
// -timeout, which prints where it waited.
func (r *recorder) next(t testing.TB) event {
	t.Helper()
	return <-r.events
}

// collect waits for n events.
func (r *recorder) collect(t testing.TB, n int) []event {
	t.Helper()
	out := make([]event, 0, n)
	for range n {
		out = append(out, r.next(t))
	}
	return out
}

// infoOnly is an endpoint that handles INFO and nothing else.
type infoOnly struct{ rec *recorder }

func (e infoOnly) Info(ctx context.Context, pub, et string, payload any, md Metadata) error {
	return e.rec.Info(ctx, pub, et, payload, md)
}

// filtered is a recorder with a filter.
type filtered struct {
	*recorder
	filter *Filter
}

func (f filtered) FilterRule() *Filter { return f.filter }

// logBuffer is a goroutine-safe buffer for a slog text handler.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(b, nil))
}

// publishRaw sends a body as-is, as a broken or foreign publisher
// would.
func publishRaw(t testing.TB, conn *amqp.Connection, key string, body string) {
	t.Helper()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	err = ch.PublishWithContext(t.Context(), DefaultExchange, key, false, false,
		amqp.Publishing{ContentType: "application/json", Body: []byte(body)})
	if err != nil {
		t.Fatal(err)
	}
}

// getRaw takes one message off a queue, waiting for one to arrive.
func getRaw(t testing.TB, conn *amqp.Connection, queue string) amqp.Delivery {
	t.Helper()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	for {
		d, ok, err := ch.Get(queue, true)
		if err != nil {
			t.Fatal(err)
		}
		if ok {
			return d
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// queueLength is the number of ready messages in a queue.
func queueLength(t testing.TB, conn *amqp.Connection, queue string) int {
	t.Helper()
	q, ok, err := InspectQueue(conn, queue)
	if err != nil || !ok {
		t.Fatalf("queue %s: ok=%v err=%v", queue, ok, err)
	}
	return q.Messages
}

// management fetches JSON from the management API of the test's
// vhost, e.g. "queues/{vhost}/notifications.info".
func management(t testing.TB, vhostURL, path string, out any) {
	t.Helper()
	u, err := url.Parse(vhostURL)
	if err != nil {
		t.Fatal(err)
	}
	vhost := strings.TrimPrefix(u.Path, "/")
	if vhost == "" {
		vhost = "/"
	}
	path = strings.ReplaceAll(path, "{vhost}", url.PathEscape(vhost))
	resp, err := http.Get(strings.TrimSuffix(broker.Get(t).ManagementURL(), "/") + "/api/" + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(out); err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
}

// amqpToRabbit turns a test vhost URL into the transport_url a Python
// peer takes.
func amqpToRabbit(u string) string {
	return "rabbit://" + strings.TrimPrefix(u, "amqp://")
}
