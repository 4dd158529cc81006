// Listener tests: endpoints, filters, pools, requeue, duplicates and
// bad input, through a real broker.

package notify

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

func TestEveryPriorityReachesTheMethodOfThatName(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	l := startListener(t, conn, ListenerConfig{Endpoints: []any{rec}})
	want := []string{"notifications.audit", "notifications.debug", "notifications.info",
		"notifications.warn", "notifications.error", "notifications.critical", "notifications.sample"}
	if !reflect.DeepEqual(l.Queues(), want) {
		t.Errorf("queues %v, want %v", l.Queues(), want)
	}
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1"})
	ctx := WithRequestContext(t.Context(), RequestContext{{Key: "user_id", Value: "u1"}})
	for _, p := range Priorities {
		if err := n.Notify(ctx, p, "compute."+strings.ToLower(string(p)),
			map[string]any{"n": 1, "s": "x"}); err != nil {
			t.Fatal(err)
		}
	}
	got := map[Priority]event{}
	for _, e := range rec.collect(t, len(Priorities)) {
		got[e.Method] = e
	}
	for _, p := range Priorities {
		e, ok := got[p]
		if !ok {
			t.Errorf("%s: method never called", p)
			continue
		}
		if e.EventType != "compute."+strings.ToLower(string(p)) || e.PublisherID != "compute.host1" {
			t.Errorf("%s method got %s from %s", p, e.EventType, e.PublisherID)
		}
		if !reflect.DeepEqual(e.Payload, map[string]any{"n": 1.0, "s": "x"}) {
			t.Errorf("%s payload %#v", p, e.Payload)
		}
		if !reMessageID.MatchString(e.Metadata.MessageID) || !reTimestamp.MatchString(e.Metadata.Timestamp) {
			t.Errorf("%s metadata %+v", p, e.Metadata)
		}
		if v, _ := e.Context.Get("user_id"); v != "u1" {
			t.Errorf("%s context %v", p, e.Context)
		}
	}
}

func TestListenerBindsOnlyThePrioritiesItsEndpointsHandle(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	l := startListener(t, conn, ListenerConfig{
		Targets:   []Target{{Topic: "notifications"}, {Topic: "monitor"}},
		Endpoints: []any{infoOnly{rec}},
	})
	if want := []string{"notifications.info", "monitor.info"}; !reflect.DeepEqual(l.Queues(), want) {
		t.Fatalf("queues %v, want %v", l.Queues(), want)
	}
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p", Topics: []string{"monitor"}})
	ctx := t.Context()
	n.Error(ctx, "ignored", nil)
	n.Info(ctx, "wanted", nil)
	if e := rec.next(t); e.EventType != "wanted" || e.Method != PriorityInfo {
		t.Fatalf("got %+v", e)
	}
	// The ERROR event waits in the queue the notifier declared.
	if got := queueLength(t, conn, "monitor.error"); got != 1 {
		t.Fatalf("monitor.error holds %d", got)
	}
	if _, err := NewNotificationListener(conn, ListenerConfig{Endpoints: []any{struct{}{}}}); err == nil {
		t.Error("an endpoint without methods was accepted")
	}
}

func TestV1AndV2MessagesBothReachTheEndpoint(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	startListener(t, conn, ListenerConfig{Endpoints: []any{rec}})
	for _, d := range []Driver{DriverMessaging, DriverMessagingV2} {
		n := newNotifier(t, conn, NotifierConfig{PublisherID: string(d), Driver: d})
		if err := n.Info(t.Context(), "format."+string(d), map[string]any{"d": string(d)}); err != nil {
			t.Fatal(err)
		}
		e := rec.next(t)
		if e.PublisherID != string(d) || e.EventType != "format."+string(d) ||
			!reflect.DeepEqual(e.Payload, map[string]any{"d": string(d)}) {
			t.Errorf("%s: got %+v", d, e)
		}
	}
	// The captured oslo bodies, replayed, arrive too.
	captures, _ := loadCaptures(t)
	for _, name := range []string{"notification_v1", "notification_v2"} {
		publishRaw(t, conn, "notifications.info", captures[name].Body)
		e := rec.next(t)
		if e.PublisherID != "compute.host1" || e.Metadata.Timestamp == "" {
			t.Errorf("%s: got %+v", name, e)
		}
	}
}

func TestFiltersMatchAtTheStartOfEachField(t *testing.T) {
	conn, _ := dial(t)
	filter, err := NewFilter(FilterRule{
		PublisherID: `compute\.`,
		EventType:   `compute\.instance\.`,
		Context:     map[string]string{"project_id": "p1"},
		Metadata:    map[string]string{"timestamp": `\d{4}-`},
		Payload:     map[string]string{"state": "active"},
	})
	if err != nil {
		t.Fatal(err)
	}
	picky, all := newRecorder(), newRecorder()
	startListener(t, conn, ListenerConfig{Endpoints: []any{filtered{picky, filter}, all}})
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1"})
	p1 := WithRequestContext(t.Context(), RequestContext{{Key: "project_id", Value: "p1"}})
	p2 := WithRequestContext(t.Context(), RequestContext{{Key: "project_id", Value: "p2"}})
	send := func(n *Notifier, ctx context.Context, et string, payload any) {
		t.Helper()
		if err := n.Info(ctx, et, payload); err != nil {
			t.Fatal(err)
		}
	}
	active := map[string]any{"state": "active"}
	send(n, p1, "compute.instance.create.end", active)                          // 1 matches
	send(n, p1, "compute.instance.update", map[string]any{"state": "inactive"}) // payload: not at start
	send(n, p1, "compute.instance.update", map[string]any{"state": 1})          // payload: not a string
	send(n, p1, "compute.instance.update", map[string]any{"other": "active"})   // payload: key missing
	send(n, p1, "compute.instance.update", "active")                            // payload: not a dict
	send(n, p2, "compute.instance.create.end", active)                          // context
	send(n, t.Context(), "compute.instance.create.end", active)                 // context key missing
	send(n, p1, "x.compute.instance.create.end", active)                        // event type: not at start
	send(n.Prepare("network.compute.1"), p1, "compute.instance.create.end", active)
	send(n, p1, "compute.instance.delete.end", map[string]any{"state": "active-ish"}) // 2 matches

	all.collect(t, 10)
	got := picky.collect(t, 2)
	if got[0].EventType != "compute.instance.create.end" || got[1].EventType != "compute.instance.delete.end" {
		t.Fatalf("filtered endpoint got %s, %s", got[0].EventType, got[1].EventType)
	}
	select {
	case e := <-picky.events:
		t.Fatalf("filter let through %+v", e)
	default:
	}
}

func TestTwoListenersInOnePoolShareTwoPoolsEachGetAll(t *testing.T) {
	conn, u := dial(t)
	a1, a2, b := newRecorder(), newRecorder(), newRecorder()
	// Each listener on its own connection, like separate processes.
	la := startListener(t, dialURL(t, u), ListenerConfig{Endpoints: []any{a1}, Pool: "alarms"})
	startListener(t, dialURL(t, u), ListenerConfig{Endpoints: []any{a2}, Pool: "alarms"})
	startListener(t, dialURL(t, u), ListenerConfig{Endpoints: []any{b}, Pool: "billing"})
	if !reflect.DeepEqual(la.Queues(), []string{"alarms"}) {
		t.Fatalf("pool listener consumes %v, want one queue named after the pool", la.Queues())
	}
	const total = 40
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	for i := range total {
		p := Priorities[i%len(Priorities)]
		if err := n.Notify(t.Context(), p, fmt.Sprintf("e%d", i), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Pool "billing" sees every event once.
	seen := map[string]bool{}
	for _, e := range b.collect(t, total) {
		seen[e.EventType] = true
	}
	if len(seen) != total {
		t.Errorf("billing saw %d distinct events, want %d", len(seen), total)
	}
	// Pool "alarms" sees every event once, split between its two.
	shared := map[string]int{}
	got1, got2 := 0, 0
	for got1+got2 < total {
		select {
		case e := <-a1.events:
			got1++
			shared[e.EventType]++
		case e := <-a2.events:
			got2++
			shared[e.EventType]++
		}
	}
	if len(shared) != total || got1 == 0 || got2 == 0 {
		t.Errorf("alarms: %d distinct, split %d/%d; want %d, both > 0", len(shared), got1, got2, total)
	}
	// The events also wait in the notifier's own queues (oslo does
	// the same): pools are extra subscribers, not a replacement.
	if q := queueLength(t, conn, "notifications.info"); q == 0 {
		t.Error("notifications.info is empty")
	}
}

func TestRequeueOnlyWhenAllowedAndAsked(t *testing.T) {
	for _, allow := range []bool{true, false} {
		t.Run(fmt.Sprintf("allow=%v", allow), func(t *testing.T) {
			conn, _ := dial(t)
			rec := newRecorder()
			var calls atomic.Int32
			rec.reply = func(e event) error {
				if e.EventType == "flaky" && calls.Add(1) == 1 {
					return ErrRequeue // "not now, try again"
				}
				return nil
			}
			var logs logBuffer
			l := startListener(t, conn, ListenerConfig{Endpoints: []any{rec},
				AllowRequeue: allow, Logger: logs.logger()})
			n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
			n.Info(t.Context(), "flaky", nil)
			if e := rec.next(t); e.EventType != "flaky" {
				t.Fatalf("got %s", e.EventType)
			}
			n.Info(t.Context(), "marker", nil)
			if allow {
				// The requeued event comes back (before or after the
				// marker, depending on what was already in flight).
				a, b := rec.next(t).EventType, rec.next(t).EventType
				if !(a == "flaky" && b == "marker" || a == "marker" && b == "flaky") {
					t.Errorf("after a requeue got %s, %s; want flaky again and marker", a, b)
				}
			} else if e := rec.next(t); e.EventType != "marker" {
				t.Errorf("event redelivered without AllowRequeue; got %s", e.EventType)
			}
			// Nothing is left over or comes back later.
			stoppedEmpty(t, conn, l, "notifications.info")
			if len(rec.events) != 0 {
				t.Errorf("extra deliveries: %d", len(rec.events))
			}
			if strings.Contains(logs.String(), "endpoint failed") {
				t.Errorf("ErrRequeue was logged as a failure: %s", logs.String())
			}
		})
	}
}

func TestAFailingOrPanickingEndpointIsLoggedAndTheListenerGoesOn(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	rec.reply = func(e event) error {
		switch e.EventType {
		case "fails":
			return errors.New("disk full")
		case "panics":
			panic("boom")
		}
		return nil
	}
	var logs logBuffer
	// oslo treats an exception as a request to requeue; without
	// AllowRequeue the event is logged and acknowledged.
	l := startListener(t, conn, ListenerConfig{Endpoints: []any{rec}, Logger: logs.logger()})
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	for _, et := range []string{"fails", "panics", "fine"} {
		n.Info(t.Context(), et, nil)
	}
	got := rec.collect(t, 3)
	if got[2].EventType != "fine" {
		t.Fatalf("got %+v", got)
	}
	out := logs.String()
	if !strings.Contains(out, "disk full") || !strings.Contains(out, "endpoint panicked: boom") {
		t.Errorf("logs: %s", out)
	}
	stoppedEmpty(t, conn, l, "notifications.info")
}

func TestDuplicatesAreDroppedByUniqueID(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	var logs logBuffer
	startListener(t, conn, ListenerConfig{Endpoints: []any{rec}, Logger: logs.logger()})
	m := Message{MessageID: newMessageID(), PublisherID: "p", EventType: "once",
		Priority: PriorityInfo, Timestamp: FormatTimestamp(time.Now()), UniqueID: newUniqueID()}
	body, _ := m.Encode(DriverMessagingV2)
	publishRaw(t, conn, "notifications.info", string(body))
	publishRaw(t, conn, "notifications.info", string(body))
	m.UniqueID, m.EventType = newUniqueID(), "marker"
	body, _ = m.Encode(DriverMessagingV2)
	publishRaw(t, conn, "notifications.info", string(body))
	if a, b := rec.next(t), rec.next(t); a.EventType != "once" || b.EventType != "marker" {
		t.Fatalf("got %s then %s", a.EventType, b.EventType)
	}
	if !strings.Contains(logs.String(), "dropping duplicate notification") {
		t.Errorf("duplicate not logged: %s", logs.String())
	}
}

func TestBadInputIsLoggedAckedAndTheListenerGoesOn(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	var logs logBuffer
	// With AllowRequeue on, to show bad input is still never requeued.
	l := startListener(t, conn, ListenerConfig{Endpoints: []any{rec}, AllowRequeue: true, Logger: logs.logger()})
	bad := map[string]string{
		"not json":         `not json at all`,
		"a list":           `[1, 2, 3]`,
		"empty":            ``,
		"bad envelope":     `{"oslo.version": "2.0", "oslo.message": "{broken"}`,
		"future envelope":  `{"oslo.version": "3.0", "oslo.message": "{}"}`,
		"no priority":      `{"publisher_id": "p", "event_type": "e"}`,
		"unknown priority": `{"priority": "LOUD", "publisher_id": "p", "event_type": "e"}`,
		"no event type":    `{"priority": "INFO", "publisher_id": "p"}`,
		"no publisher":     `{"priority": "INFO", "event_type": "e"}`,
		"number priority":  `{"priority": 7, "publisher_id": "p", "event_type": "e"}`,
	}
	for _, body := range bad {
		publishRaw(t, conn, "notifications.info", body)
	}
	publishRaw(t, conn, "notifications.info",
		`{"priority": "info", "publisher_id": "p", "event_type": "good"}`)
	if e := rec.next(t); e.EventType != "good" || e.Payload != nil {
		t.Fatalf("got %+v", e)
	}
	stoppedEmpty(t, conn, l, "notifications.info")
	out := logs.String()
	if c := strings.Count(out, "dropping notification"); c != len(bad)-1 {
		t.Errorf("%d malformed bodies logged, want %d:\n%s", c, len(bad)-1, out)
	}
	if !strings.Contains(out, `msg="unknown priority" priority=LOUD`) {
		t.Errorf("unknown priority not logged:\n%s", out)
	}
}

// stoppedEmpty stops the listener, which sends back anything it
// had not acknowledged, and checks the queue is then empty: nothing
// was requeued, nothing is left to come back forever.
func stoppedEmpty(t *testing.T, conn *amqp.Connection, l *NotificationListener, queue string) {
	t.Helper()
	if err := l.Stop(); err != nil {
		t.Fatal(err)
	}
	if got := queueLength(t, conn, queue); got != 0 {
		t.Fatalf("queue %s holds %d messages after the listener stopped", queue, got)
	}
}

func TestRunStopsCleanlyOnContextAndReportsALostQueue(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	l, err := NewNotificationListener(conn, ListenerConfig{Endpoints: []any{rec}, Pool: "doomed"})
	if err != nil {
		t.Fatal(err)
	}
	// Declare the pool's queue first, so events sent while Run
	// is still starting wait in it.
	if err := l.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := l.Stop(); err != nil {
		t.Fatal(err)
	}
	// Ctrl-C: Run returns nil.
	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- l.Run(ctx) }()
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	n.Info(t.Context(), "one", nil)
	rec.next(t)
	cancel()
	if err := <-errc; err != nil {
		t.Fatalf("Run after cancel = %v", err)
	}

	// Someone deletes the queue: Run says so instead of hanging.
	go func() { errc <- l.Run(context.Background()) }()
	n.Info(t.Context(), "two", nil)
	rec.next(t)
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	defer ch.Close()
	if _, err := ch.QueueDelete("doomed", false, false, false); err != nil {
		t.Fatal(err)
	}
	// Run returns once its queue is gone.
	if err := <-errc; !errors.Is(err, ErrConsumerCancelled) {
		t.Fatalf("Run = %v, want ErrConsumerCancelled", err)
	}
}

func TestNotifierIsSafeForConcurrentUse(t *testing.T) {
	conn, _ := dial(t)
	rec := newRecorder()
	startListener(t, conn, ListenerConfig{Endpoints: []any{infoOnly{rec}}})
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	const senders, each = 8, 25
	errc := make(chan error, senders)
	for s := range senders {
		go func() {
			prepared := n.Prepare(fmt.Sprintf("host%d", s))
			for i := range each {
				if err := prepared.Info(t.Context(), fmt.Sprintf("e%d", i), nil); err != nil {
					errc <- err
					return
				}
			}
			errc <- nil
		}()
	}
	for range senders {
		if err := <-errc; err != nil {
			t.Fatal(err)
		}
	}
	seen := map[string]bool{}
	for _, e := range rec.collect(t, senders*each) {
		seen[e.PublisherID+"/"+e.EventType] = true
	}
	if len(seen) != senders*each {
		t.Fatalf("%d distinct events, want %d", len(seen), senders*each)
	}
}

func TestRunReturnsWhenTheConnectionCloses(t *testing.T) {
	_, u := dial(t)
	conn := dialURL(t, u)
	l, err := NewNotificationListener(conn, ListenerConfig{Endpoints: []any{newRecorder()}})
	if err != nil {
		t.Fatal(err)
	}
	errc := make(chan error, 1)
	go func() { errc <- l.Run(context.Background()) }()
	// Wait until it consumes, then pull the connection away.
	probe := dialURL(t, u)
	for {
		q, ok, _ := InspectQueue(probe, "notifications.info")
		if ok && q.Consumers == 1 {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	conn.Close()
	// Run returns once its connection is gone.
	if err := <-errc; !errors.Is(err, amqp.ErrClosed) {
		t.Fatalf("Run = %v, want an error wrapping amqp.ErrClosed", err)
	}
}
