// Notifier tests: what lands in RabbitMQ, read back raw.

package notify

import (
	"context"
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"testing"
)

var (
	reMessageID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	reUniqueID  = regexp.MustCompile(`^[0-9a-f]{32}$`)
	reTimestamp = regexp.MustCompile(`^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d{6})?$`)
)

func TestNotifierV2WritesOslosEnvelopeAndProperties(t *testing.T) {
	conn, _ := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1"})
	ctx := WithRequestContext(t.Context(), RequestContext{
		{Key: "user_id", Value: "u1"},
		{Key: "auth_token", Value: "secret"}, // oslo never sends it
		{Key: "request_id", Value: "req-abc"},
	})
	if err := n.Info(ctx, "compute.instance.create.end",
		map[string]any{"instance_id": "i-1", "state": "active"}); err != nil {
		t.Fatal(err)
	}

	// The notifier declared notifications.info, so the event waits.
	d := getRaw(t, conn, "notifications.info")
	if d.Exchange != "openstack" || d.RoutingKey != "notifications.info" {
		t.Errorf("routed to %q/%q", d.Exchange, d.RoutingKey)
	}
	if d.ContentType != "application/json" || d.ContentEncoding != "utf-8" ||
		d.DeliveryMode != 2 || d.Priority != 0 {
		t.Errorf("properties: %+v", d)
	}
	body := string(d.Body)
	if !strings.HasPrefix(body, `{"oslo.version": "2.0", "oslo.message": "{\"message_id\": \"`) {
		t.Fatalf("body is not oslo's envelope: %s", body)
	}
	m, err := DecodeMessage(d.Body)
	if err != nil {
		t.Fatal(err)
	}
	// Same bytes as oslo would write for these values (key order,
	// separators): re-encoding reproduces the body exactly.
	if again, _ := m.Encode(DriverMessagingV2); string(again) != body {
		t.Errorf("body not in oslo's form:\n%s\n%s", body, again)
	}
	if m.Version != 2 || m.PublisherID != "compute.host1" ||
		m.EventType != "compute.instance.create.end" || m.Priority != PriorityInfo {
		t.Errorf("message: %+v", m)
	}
	if string(m.Payload) != `{"instance_id": "i-1", "state": "active"}` {
		t.Errorf("payload %s", m.Payload)
	}
	if !reMessageID.MatchString(m.MessageID) || !reUniqueID.MatchString(m.UniqueID) ||
		!reTimestamp.MatchString(m.Timestamp) {
		t.Errorf("ids/timestamp: %q %q %q", m.MessageID, m.UniqueID, m.Timestamp)
	}
	want := RequestContext{{Key: "user_id", Value: "u1"}, {Key: "request_id", Value: "req-abc"}}
	if len(m.Context) != 2 || m.Context[0] != want[0] || m.Context[1] != want[1] {
		t.Errorf("context %v, want %v (auth_token dropped, order kept)", m.Context, want)
	}
}

func TestNotifierV1SendsTheBareMessage(t *testing.T) {
	conn, _ := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1", Driver: DriverMessaging})
	if err := n.Info(t.Context(), "v1.event", map[string]int{"v": 1}); err != nil {
		t.Fatal(err)
	}
	d := getRaw(t, conn, "notifications.info")
	if !strings.HasPrefix(string(d.Body), `{"message_id": "`) ||
		!strings.Contains(string(d.Body), `"payload": {"v": 1}`) {
		t.Fatalf("not a v1 body: %s", d.Body)
	}
	m, err := DecodeMessage(d.Body)
	if err != nil || m.Version != 1 || m.EventType != "v1.event" {
		t.Fatalf("decode: %+v, %v", m, err)
	}
}

func TestNotifierRoutesEachPriorityToItsQueue(t *testing.T) {
	conn, _ := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p", Topics: []string{"notifications", "monitor"}})
	ctx := t.Context()
	send := map[Priority]func(context.Context, string, any) error{
		PriorityAudit: n.Audit, PriorityDebug: n.Debug, PriorityInfo: n.Info,
		PriorityWarn: n.Warn, PriorityError: n.Error, PriorityCritical: n.Critical,
		PrioritySample: n.Sample,
	}
	for _, p := range Priorities {
		if err := send[p](ctx, "e."+string(p), nil); err != nil {
			t.Fatal(err)
		}
	}
	// Every topic gets every event, with the same message_id and
	// its own _unique_id, as oslo's driver sends them.
	for _, p := range Priorities {
		a, _ := DecodeMessage(getRaw(t, conn, p.RoutingKey("notifications")).Body)
		b, _ := DecodeMessage(getRaw(t, conn, p.RoutingKey("monitor")).Body)
		if a == nil || b == nil || a.Priority != p || a.EventType != "e."+string(p) {
			t.Fatalf("%s: %+v %+v", p, a, b)
		}
		if a.MessageID != b.MessageID || a.UniqueID == b.UniqueID {
			t.Errorf("%s: ids %s/%s %s/%s", p, a.MessageID, b.MessageID, a.UniqueID, b.UniqueID)
		}
		if string(a.Payload) != "null" {
			t.Errorf("nil payload sent as %s", a.Payload)
		}
	}
	// Warning is Warn under oslo's other name.
	if err := n.Warning(ctx, "w", nil); err != nil {
		t.Fatal(err)
	}
	if m, _ := DecodeMessage(getRaw(t, conn, "notifications.warn").Body); m == nil || m.Priority != PriorityWarn {
		t.Fatalf("Warning sent %+v", m)
	}
	if err := n.Notify(ctx, "LOUD", "x", nil); err == nil || !strings.Contains(err.Error(), `"LOUD"`) {
		t.Errorf("unknown priority: err = %v", err)
	}
	// A lower-case priority is sent upper-case.
	if err := n.Notify(ctx, "sample", "lower", nil); err != nil {
		t.Fatal(err)
	}
	if m, _ := DecodeMessage(getRaw(t, conn, "notifications.sample").Body); m == nil || m.Priority != PrioritySample {
		t.Fatalf("lower-case priority sent as %+v", m)
	}
}

func TestNotifierDeclaresQueuesAsOsloDoes(t *testing.T) {
	conn, u := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	if err := n.Error(t.Context(), "e", nil); err != nil {
		t.Fatal(err)
	}
	// Compare with the capture's rabbitmqctl list_queues:
	// notifications.error  false  false  false  []
	var q struct {
		Durable    bool           `json:"durable"`
		AutoDelete bool           `json:"auto_delete"`
		Exclusive  bool           `json:"exclusive"`
		Arguments  map[string]any `json:"arguments"`
	}
	management(t, u, "queues/{vhost}/notifications.error", &q)
	if q.Durable || q.AutoDelete || q.Exclusive || len(q.Arguments) != 0 {
		t.Errorf("queue flags %+v", q)
	}
	var x struct {
		Type       string `json:"type"`
		Durable    bool   `json:"durable"`
		AutoDelete bool   `json:"auto_delete"`
	}
	management(t, u, "exchanges/{vhost}/openstack", &x)
	if x.Type != "topic" || x.Durable || x.AutoDelete {
		t.Errorf("exchange %+v", x)
	}
	var bindings []struct {
		RoutingKey string `json:"routing_key"`
	}
	management(t, u, "bindings/{vhost}/e/openstack/q/notifications.error", &bindings)
	if len(bindings) != 1 || bindings[0].RoutingKey != "notifications.error" {
		t.Errorf("bindings %+v", bindings)
	}
}

func TestPrepareSendsWithAnotherPublisherID(t *testing.T) {
	conn, _ := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1"})
	other := n.Prepare("compute.host2")
	ctx := t.Context()
	if err := other.Info(ctx, "a", nil); err != nil {
		t.Fatal(err)
	}
	if err := n.Info(ctx, "b", nil); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"compute.host2", "compute.host1"} {
		m, _ := DecodeMessage(getRaw(t, conn, "notifications.info").Body)
		if m == nil || m.PublisherID != want {
			t.Fatalf("publisher %+v, want %s", m, want)
		}
	}
}

func TestWhitelistWarnsAboutOtherEventTypesAndStillSends(t *testing.T) {
	conn, _ := dial(t)
	var logs logBuffer
	n := newNotifier(t, conn, NotifierConfig{
		PublisherID:       "compute.host1",
		AllowedEventTypes: []string{"compute.instance.create.start"},
		Logger:            logs.logger(),
	})
	ctx := t.Context()
	if err := n.Info(ctx, "compute.instance.create.start", nil); err != nil {
		t.Fatal(err)
	}
	if logs.String() != "" {
		t.Fatalf("allowed event type logged: %s", logs.String())
	}
	if err := n.Info(ctx, "compute.instance.brand.new", nil); err != nil {
		t.Fatal(err)
	}
	out := logs.String()
	if !strings.Contains(out, "level=WARN") || !strings.Contains(out, "event_type=compute.instance.brand.new") {
		t.Fatalf("no warning for an unlisted event type: %q", out)
	}
	// nova only warns: both events were sent.
	getRaw(t, conn, "notifications.info")
	if m, _ := DecodeMessage(getRaw(t, conn, "notifications.info").Body); m == nil || m.EventType != "compute.instance.brand.new" {
		t.Fatalf("unlisted event not sent: %+v", m)
	}

	// nova's fatal mode refuses instead.
	strict := newNotifier(t, conn, NotifierConfig{
		PublisherID: "p", AllowedEventTypes: []string{"a"}, RejectUnknownEventTypes: true,
	})
	var ete *EventTypeError
	if err := strict.Info(ctx, "b", nil); !errors.As(err, &ete) || ete.EventType != "b" {
		t.Fatalf("err = %v, want an EventTypeError", err)
	}
}

func TestNotifierRejectsBadPayloadAndRecoversFromAChannelError(t *testing.T) {
	conn, _ := dial(t)
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "p"})
	ctx := t.Context()
	if err := n.Info(ctx, "e", func() {}); err == nil {
		t.Error("a func payload encoded")
	}
	if err := n.Info(ctx, "e", json.RawMessage("{oops")); err == nil {
		t.Error("invalid raw JSON sent")
	}
	// Kill the notifier's channel behind its back: the next
	// notification opens a new one.
	n.pub.mu.Lock()
	n.pub.ch.Close()
	n.pub.mu.Unlock()
	if err := n.Info(ctx, "after", nil); err != nil {
		t.Fatal(err)
	}
	if m, _ := DecodeMessage(getRaw(t, conn, "notifications.info").Body); m == nil || m.EventType != "after" {
		t.Fatalf("got %+v", m)
	}
}
