// Interop: the real oslo.messaging (Debian's python3-oslo.messaging,
// run by /usr/bin/python3) on the other end, both directions.

package notify

import (
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestPythonNotifierReachesGoListener(t *testing.T) {
	for _, driver := range []string{"messagingv2", "messaging"} {
		t.Run(driver, func(t *testing.T) {
			pypeer.Require(t, "oslo_messaging", "oslo_config")
			conn, u := dial(t)
			rec := newRecorder()
			startListener(t, conn, ListenerConfig{Endpoints: []any{rec}})

			ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
			defer cancel()
			out := pypeer.Run(t, ctx, "testdata/py_notifier.py", amqpToRabbit(u), driver)
			if strings.Count(out, "SENT ") != 8 || !strings.HasSuffix(out, "DONE\n") {
				t.Fatalf("python notifier printed:\n%s", out)
			}

			got := map[string]event{}
			for _, e := range rec.collect(t, 8) {
				got[e.EventType] = e
			}
			for _, p := range Priorities {
				low := strings.ToLower(string(p))
				e, ok := got["compute.instance."+low]
				if !ok {
					t.Errorf("%s: not received", low)
					continue
				}
				if e.Method != p || e.PublisherID != "compute.py-host" {
					t.Errorf("%s: method %s, publisher %s", low, e.Method, e.PublisherID)
				}
				want := map[string]any{"instance_id": "i-py", "priority_seen": low,
					"size": 42.0, "tags": []any{"a", "b"}, "name": "café"}
				if !reflect.DeepEqual(e.Payload, want) {
					t.Errorf("%s: payload %#v", low, e.Payload)
				}
				if !reMessageID.MatchString(e.Metadata.MessageID) {
					t.Errorf("%s: message_id %q", low, e.Metadata.MessageID)
				}
				if ts, err := e.Metadata.Time(); err != nil || time.Since(ts) > time.Hour || time.Since(ts) < -time.Hour {
					t.Errorf("%s: timestamp %q (%v)", low, e.Metadata.Timestamp, err)
				}
				// Python's notifier sanitizes the context: the token
				// stays home, the rest arrives in order.
				wantCtx := RequestContext{{Key: "user_id", Value: "u-py"},
					{Key: "request_id", Value: "req-py-1"}, {Key: "roles", Value: []any{"admin"}}}
				if !reflect.DeepEqual(e.Context, wantCtx) {
					t.Errorf("%s: context %#v", low, e.Context)
				}
			}
			if e := got["compute.instance.prepared"]; e.PublisherID != "compute.other" || e.Method != PriorityInfo {
				t.Errorf("prepared notifier: %+v", e)
			}
		})
	}
}

// pyEvent is one EVENT line of py_listener.py.
type pyEvent struct {
	Priority    string            `json:"priority"`
	Ctxt        map[string]any    `json:"ctxt"`
	PublisherID string            `json:"publisher_id"`
	EventType   string            `json:"event_type"`
	Payload     any               `json:"payload"`
	Metadata    map[string]string `json:"metadata"`
}

func TestGoNotifierReachesPythonListener(t *testing.T) {
	for _, driver := range []Driver{DriverMessagingV2, DriverMessaging} {
		t.Run(string(driver), func(t *testing.T) {
			pypeer.Require(t, "oslo_messaging", "oslo_config")
			conn, u := dial(t)
			const count = 8
			py := pypeer.Start(t, "testdata/py_listener.py", amqpToRabbit(u), "8")
			py.WaitLine(t, "READY", time.Minute)

			n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.go-host", Driver: driver})
			ctx := WithRequestContext(t.Context(), RequestContext{
				{Key: "user_id", Value: "u-go"}, {Key: "request_id", Value: "req-go-1"},
				{Key: "auth_token", Value: "never-sent"},
			})
			sent := map[string]string{} // event type → message_id, found below
			for _, p := range Priorities {
				low := strings.ToLower(string(p))
				payload := map[string]any{"instance_id": "i-go", "priority_seen": low,
					"size": 42, "name": "café"}
				if err := n.Notify(ctx, p, "compute.instance."+low, payload); err != nil {
					t.Fatal(err)
				}
				sent["compute.instance."+low] = low
			}
			if err := n.Prepare("compute.other").Info(ctx, "compute.instance.prepared", []int{1, 2}); err != nil {
				t.Fatal(err)
			}
			py.WaitLine(t, "DONE", time.Minute)

			events := map[string]pyEvent{}
			for _, line := range strings.Split(py.Output(), "\n") {
				if rest, ok := strings.CutPrefix(line, "EVENT "); ok {
					var e pyEvent
					if err := json.Unmarshal([]byte(rest), &e); err != nil {
						t.Fatalf("%v: %s", err, line)
					}
					events[e.EventType] = e
				}
			}
			if len(events) != count {
				t.Fatalf("python got %d events:\n%s", len(events), py.Output())
			}
			for et, low := range sent {
				e := events[et]
				// oslo calls the method named after the priority.
				if e.Priority != low || e.PublisherID != "compute.go-host" {
					t.Errorf("%s: python called %q with publisher %q", et, e.Priority, e.PublisherID)
				}
				want := map[string]any{"instance_id": "i-go", "priority_seen": low,
					"size": 42.0, "name": "café"}
				if !reflect.DeepEqual(e.Payload, want) {
					t.Errorf("%s: payload %#v", et, e.Payload)
				}
				if !reMessageID.MatchString(e.Metadata["message_id"]) ||
					!reTimestamp.MatchString(e.Metadata["timestamp"]) {
					t.Errorf("%s: metadata %v", et, e.Metadata)
				}
				if e.Ctxt["user_id"] != "u-go" || e.Ctxt["request_id"] != "req-go-1" {
					t.Errorf("%s: ctxt %v", et, e.Ctxt)
				}
				if _, leaked := e.Ctxt["auth_token"]; leaked {
					t.Errorf("%s: auth_token reached the listener", et)
				}
			}
			if e := events["compute.instance.prepared"]; e.PublisherID != "compute.other" ||
				!reflect.DeepEqual(e.Payload, []any{1.0, 2.0}) {
				t.Errorf("prepared: %+v", e)
			}
		})
	}
}

func TestGoAndPythonListenersShareAPool(t *testing.T) {
	// Same pool name, same queue: a Go listener and an oslo listener
	// split the events between them, and a second pool (Go) gets all.
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	conn, u := dial(t)
	py := pypeer.Start(t, "testdata/py_listener.py", amqpToRabbit(u), "0", "mixed")
	py.WaitLine(t, "READY", time.Minute)
	goSide, other := newRecorder(), newRecorder()
	startListener(t, dialURL(t, u), ListenerConfig{Endpoints: []any{goSide}, Pool: "mixed"})
	startListener(t, dialURL(t, u), ListenerConfig{Endpoints: []any{other}, Pool: "audit-log"})

	const total = 30
	n := newNotifier(t, conn, NotifierConfig{PublisherID: "compute.host1"})
	for i := range total {
		if err := n.Info(t.Context(), "e."+string(rune('A'+i)), nil); err != nil {
			t.Fatal(err)
		}
	}
	if got := len(other.collect(t, total)); got != total {
		t.Fatalf("second pool got %d", got)
	}
	// Whatever the Go side did not get, Python must have.
	for {
		goCount := len(goSide.events)
		pyCount := strings.Count(py.Output(), "EVENT ")
		if goCount+pyCount == total {
			if goCount == 0 || pyCount == 0 {
				t.Errorf("pool split %d (Go) / %d (Python); want both > 0", goCount, pyCount)
			}
			return
		}
		if goCount+pyCount > total {
			t.Fatalf("pool delivered %d (Go) + %d (Python), want %d in all:\n%s",
				goCount, pyCount, total, py.Output())
		}
		time.Sleep(50 * time.Millisecond)
	}
}
