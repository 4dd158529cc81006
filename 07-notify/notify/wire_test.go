// Wire tests: the Go encoder against messages oslo.messaging 14.0.3
// actually published (testdata/oslo-captures.json, captured with the
// broker's firehose), byte for byte. No broker needed.

package notify

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

type capture struct {
	Exchange   string         `json:"exchange"`
	RoutingKey string         `json:"routing_key"`
	Properties map[string]any `json:"properties"`
	Body       string         `json:"body"`
}

func loadCaptures(t *testing.T) (map[string]capture, map[string]string) {
	t.Helper()
	raw, err := os.ReadFile("testdata/oslo-captures.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Messages map[string]capture `json:"messages"`
		Topology map[string]string  `json:"topology"`
	}
	if err := json.Unmarshal(raw, &file); err != nil {
		t.Fatal(err)
	}
	return file.Messages, file.Topology
}

func TestGoldenCapturesDecodeAndReencodeByteForByte(t *testing.T) {
	captures, _ := loadCaptures(t)
	for _, tc := range []struct {
		name    string
		driver  Driver
		version int
		want    Message
	}{
		{"notification_v2", DriverMessagingV2, 2, Message{
			MessageID:   "5bccbc1a-3eba-4acf-a1f6-1af636157ac7",
			PublisherID: "compute.host1",
			EventType:   "compute.instance.create.end",
			Priority:    PriorityInfo,
			Payload:     json.RawMessage(`{"instance_id": "i-1", "state": "active"}`),
			Timestamp:   "2026-11-21 07:40:25.506721",
			UniqueID:    "e851f642b0a1445688e6ef661c20b0c3",
			Context: RequestContext{
				{Key: "user_id", Value: "u1"},
				{Key: "request_id", Value: "req-abc"},
			},
			Version: 2,
		}},
		{"notification_v1", DriverMessaging, 1, Message{
			MessageID:   "ef2b79ff-b3c3-44f8-9287-8ff38e0f4508",
			PublisherID: "compute.host1",
			EventType:   "v1.event",
			Priority:    PriorityInfo,
			Payload:     json.RawMessage(`{"v": 1}`),
			Timestamp:   "2026-11-21 07:40:25.531382",
			UniqueID:    "b7460aff4666412e8f3491fa62854e3b",
			Version:     1,
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := captures[tc.name]
			got, err := DecodeMessage([]byte(c.Body))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("decoded\n%#v\nwant\n%#v", *got, tc.want)
			}
			// Encoding what we decoded gives oslo's bytes back.
			body, err := tc.want.Encode(tc.driver)
			if err != nil {
				t.Fatal(err)
			}
			if string(body) != c.Body {
				t.Errorf("encoded\n%s\nwant\n%s", body, c.Body)
			}
			// And the routing is the capture's.
			if c.Exchange != DefaultExchange || c.RoutingKey != PriorityInfo.RoutingKey(DefaultTopic) {
				t.Errorf("capture routed to %s/%s", c.Exchange, c.RoutingKey)
			}
		})
	}
}

func TestEncodeWritesAPayloadInPythonStyle(t *testing.T) {
	// A Go value goes out with Python's separators and ASCII escapes:
	// what json.dumps would write for the same dict.
	m := Message{MessageID: "m", PublisherID: "p", EventType: "e",
		Priority: PriorityWarn, Timestamp: "t", UniqueID: "u"}
	raw, err := pyfmt.JSON(map[string]any{"name": "café <b> 🙂", "n": []int{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	m.Payload = raw
	got, err := m.Encode(DriverMessaging)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"message_id": "m", "publisher_id": "p", "event_type": "e", "priority": "WARN", ` +
		`"payload": {"n": [1, 2], "name": "caf\u00e9 <b> \ud83d\ude42"}, "timestamp": "t", "_unique_id": "u"}`
	if string(got) != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	if again, err := pyfmt.ReformatJSON(got); err != nil || !bytes.Equal(again, got) {
		t.Errorf("json.dumps(json.loads(message)) = %s, %v; want the message", again, err)
	}
}

func TestReencodingKeepsWhatPythonWrote(t *testing.T) {
	// Python's json.dumps(json.loads(body)) gives body again: ints stay
	// ints, 5.0 stays 5.0, non-ASCII stays escaped, the payload keeps
	// its keys' order. Encoding the decoded message must do the same.
	body := `{"message_id": "m", "publisher_id": "compute.host1", "event_type": "e", "priority": "INFO", ` +
		`"payload": {"z": 5, "a": 5.0, "tiny": 1e-07, "name": "Jos\u00e9 \ud83d\ude42", "html": "<&>"}, ` +
		`"timestamp": "t", "_unique_id": "u", "_context_quota": 5, "_context_ratio": 5.0, "_context_user": "J\u00fcrgen"}`
	m, err := DecodeMessage([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	got, err := m.Encode(DriverMessaging)
	if err != nil || string(got) != body {
		t.Errorf("re-encoded (%v)\n got %s\nwant %s", err, got, body)
	}
}

func TestTimestampIsPythonsStrOfDatetime(t *testing.T) {
	base := time.Date(2026, 11, 21, 7, 40, 25, 0, time.UTC)
	for _, tc := range []struct {
		t    time.Time
		want string
	}{
		{base.Add(506721 * time.Microsecond), "2026-11-21 07:40:25.506721"},
		{base.Add(500 * time.Microsecond), "2026-11-21 07:40:25.000500"},
		// Python leaves the fraction out when microseconds are 0 …
		{base, "2026-11-21 07:40:25"},
		// … also when only nanoseconds were there.
		{base.Add(999 * time.Nanosecond), "2026-11-21 07:40:25"},
		// Local times are printed in UTC.
		{base.In(time.FixedZone("CST", 8*3600)), "2026-11-21 07:40:25"},
	} {
		if got := FormatTimestamp(tc.t); got != tc.want {
			t.Errorf("FormatTimestamp(%v) = %q, want %q", tc.t, got, tc.want)
		}
		back, err := ParseTimestamp(tc.want)
		if err != nil || !back.Equal(tc.t.Truncate(time.Microsecond)) {
			t.Errorf("ParseTimestamp(%q) = %v, %v", tc.want, back, err)
		}
	}
}

func TestIDsHaveOslosShapes(t *testing.T) {
	messageID := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	uniqueID := regexp.MustCompile(`^[0-9a-f]{12}4[0-9a-f]{3}[89ab][0-9a-f]{15}$`)
	seen := map[string]bool{}
	for range 100 {
		m, u := newMessageID(), newUniqueID()
		if !messageID.MatchString(m) || !uniqueID.MatchString(u) {
			t.Fatalf("message_id %q, _unique_id %q", m, u)
		}
		if seen[m] || seen[u] {
			t.Fatal("an id repeated")
		}
		seen[m], seen[u] = true, true
	}
}

func TestDecodeRejectsWhatIsNotANotification(t *testing.T) {
	for _, tc := range []struct{ name, body, reason string }{
		{"not JSON", `hello`, "not a JSON object"},
		{"a list", `[1, 2]`, "not a JSON object"},
		{"trailing data", `{"a": 1} {}`, "not a JSON object"},
		{"envelope version 3", `{"oslo.version": "3.0", "oslo.message": "{}"}`, "unsupported envelope version"},
		{"inner not a string", `{"oslo.version": "2.0", "oslo.message": {}}`, "oslo.message is not a string"},
		{"inner not JSON", `{"oslo.version": "2.0", "oslo.message": "{bad"}`, "oslo.message is not a JSON object"},
		{"missing priority", `{"publisher_id": "p", "event_type": "e"}`, "missing priority"},
		{"missing publisher", `{"priority": "INFO", "event_type": "e"}`, "missing publisher_id"},
		{"missing event type", `{"priority": "INFO", "publisher_id": "p"}`, "missing event_type"},
		{"null event type", `{"priority": "INFO", "publisher_id": "p", "event_type": null}`, "missing event_type"},
		{"priority a number", `{"priority": 3, "publisher_id": "p", "event_type": "e"}`, "priority is not a string"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeMessage([]byte(tc.body))
			var me *MalformedError
			if !errors.As(err, &me) || !strings.Contains(me.Reason, tc.reason) {
				t.Fatalf("DecodeMessage(%s) = %v, want a MalformedError with %q", tc.body, err, tc.reason)
			}
		})
	}
}

func TestDecodeKeepsUnknownPriorityForTheListenerToReport(t *testing.T) {
	m, err := DecodeMessage([]byte(`{"priority": "loud", "publisher_id": "p", "event_type": "e"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ParsePriority(string(m.Priority)); ok {
		t.Fatalf("priority %q parsed", m.Priority)
	}
	if p, ok := ParsePriority("warn"); !ok || p != PriorityWarn {
		t.Fatalf("ParsePriority(warn) = %v, %v", p, ok)
	}
}

func TestIDWindowForgetsTheOldestAfterSixteen(t *testing.T) {
	var w idWindow
	for i := range DuplicateWindow {
		w.add(string(rune('a' + i)))
	}
	if !w.seen("a") || !w.seen("p") {
		t.Fatal("window lost an id too early")
	}
	w.add("q")
	if w.seen("a") || !w.seen("b") || !w.seen("q") {
		t.Fatal("window did not drop exactly the oldest id")
	}
	if w.seen("") {
		t.Fatal("an empty id counts as seen")
	}
}

func TestFilterIsAnchoredAtTheStart(t *testing.T) {
	f, err := NewFilter(FilterRule{
		PublisherID: "compute",
		EventType:   `instance\.`,
	})
	if err != nil {
		t.Fatal(err)
	}
	if f.Match(nil, "compute.host1", "compute.instance.create", Metadata{}, nil) {
		t.Error(`"instance\." matched in the middle of the event type`)
	}
	if !f.Match(nil, "compute.host1", "instance.create", Metadata{}, nil) {
		t.Error("filter did not match at the start")
	}
	if f.Match(nil, "network.host1", "instance.create", Metadata{}, nil) {
		t.Error("publisher filter ignored")
	}
	if _, err := NewFilter(FilterRule{EventType: `(?=x)`}); err == nil {
		t.Error("a look-ahead compiled (RE2 has none): want an error")
	}
}

func TestAMQPURLFromOsloTransportURL(t *testing.T) {
	for in, want := range map[string]string{
		"rabbit://u:p@h:5672/":                  "amqp://u:p@h:5672/",
		"rabbit://u:p@h:5672//":                 "amqp://u:p@h:5672/",
		"rabbit://u:p@h:5672/nova":              "amqp://u:p@h:5672/nova",
		"kombu://u:p@h1:5672,u:p@h2:5672/nova":  "amqp://u:p@h1:5672/nova",
		"amqp://guest:guest@127.0.0.1:5672/%2F": "amqp://guest:guest@127.0.0.1:5672/%2F",
	} {
		got, err := AMQPURL(in)
		if err != nil || got != want {
			t.Errorf("AMQPURL(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	if _, err := AMQPURL("http://x/"); err == nil {
		t.Error("http:// accepted")
	}
}

func FuzzDecodeMessage(f *testing.F) {
	f.Add(`{"oslo.version": "2.0", "oslo.message": "{\"priority\": \"INFO\", \"publisher_id\": \"p\", \"event_type\": \"e\", \"payload\": {}}"}`)
	f.Add(`{"priority": "INFO", "publisher_id": "p", "event_type": "e", "_context_a": [1]}`)
	f.Add(`{"oslo.version": "2.0"}`)
	f.Add(`[]`)
	f.Add(``)
	f.Fuzz(func(t *testing.T, body string) {
		m, err := DecodeMessage([]byte(body))
		if err != nil {
			var me *MalformedError
			if !errors.As(err, &me) {
				t.Fatalf("error %v is not a MalformedError", err)
			}
			return
		}
		// A message that decodes encodes again, and decodes the same.
		out, err := m.Encode(DriverMessagingV2)
		if err != nil {
			return // e.g. a context value Go cannot encode back
		}
		again, err := DecodeMessage(out)
		if err != nil {
			t.Fatalf("re-encoded message does not decode: %v\n%s", err, out)
		}
		if again.EventType != m.EventType || again.PublisherID != m.PublisherID {
			t.Fatalf("round trip changed the message: %#v vs %#v", again, m)
		}
	})
}

// decodeObject walks the text itself; it must read exactly the members
// encoding/json reads (the last of a repeated key wins there), and
// refuse what encoding/json refuses.
func FuzzDecodeObjectReadsWhatEncodingJSONReads(f *testing.F) {
	for _, s := range []string{
		`{}`, ` { "a" : 1 , "b":[1,{"c":"}"}] } `, `{"a\"b": "x\\", "n": null, "t": true, "f": -1.5e3}`,
		`{"a": 1, "a": 2}`, `[1]`, `{"a": 1} {}`, `{"a"}`, `{"é": "\u00e9"}`, `"s"`, `{"a":{"b":{"c":[[],{}]}}}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		members, err := decodeObject(data)
		var want map[string]json.RawMessage
		wantErr := json.Unmarshal(data, &want)
		if wantErr != nil || want == nil {
			if err == nil {
				t.Fatalf("decodeObject(%q) = %v, want an error (encoding/json: %v)", data, members, wantErr)
			}
			return
		}
		if err != nil {
			t.Fatalf("decodeObject(%q): %v", data, err)
		}
		got := map[string]json.RawMessage{}
		for _, m := range members {
			got[m.key] = m.value
		}
		if len(got) != len(want) {
			t.Fatalf("decodeObject(%q): %d keys, want %d", data, len(got), len(want))
		}
		for k, v := range want {
			if string(got[k]) != string(v) {
				t.Fatalf("decodeObject(%q)[%q] = %s, want %s", data, k, got[k], v)
			}
		}
	})
}
