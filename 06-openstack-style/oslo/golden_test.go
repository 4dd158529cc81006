package oslo

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// The captures are messages oslo.messaging 14.0.3 sent on RabbitMQ
// (a copy of shared/specs/oslo-captures.json).
type capture struct {
	Exchange   string         `json:"exchange"`
	RoutingKey string         `json:"routing_key"`
	Properties map[string]any `json:"properties"`
	Body       string         `json:"body"`
}

func loadCaptures(t *testing.T) map[string]capture { return loadCapturesTB(t) }

func loadCapturesTB(t testing.TB) map[string]capture {
	t.Helper()
	data, err := os.ReadFile("testdata/oslo-captures.json")
	if err != nil {
		t.Fatal(err)
	}
	var file struct {
		Messages map[string]capture `json:"messages"`
	}
	if err := json.Unmarshal(data, &file); err != nil {
		t.Fatal(err)
	}
	return file.Messages
}

// keysInOrder lists a JSON object's keys as they appear.
func keysInOrder(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		keys = append(keys, tok.(string))
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

// inner opens an envelope as a test sees it: the outer keys and the
// inner message text.
func inner(t *testing.T, body []byte) ([]string, []byte) {
	t.Helper()
	var env map[string]any
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatal(err)
	}
	return keysInOrder(t, body), []byte(env["oslo.message"].(string))
}

func decoded(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// sameMessage compares our message with the capture: the same outer
// envelope, the same inner fields in the same order (the request context
// may come in another order: Python keeps a dict's insertion order, we
// sort) with the same values.
func sameMessage(t *testing.T, name string, ours, theirs []byte) {
	t.Helper()
	oursOuter, oursInner := inner(t, ours)
	theirsOuter, theirsInner := inner(t, theirs)
	if !reflect.DeepEqual(oursOuter, theirsOuter) {
		t.Errorf("%s: envelope keys %v, capture %v", name, oursOuter, theirsOuter)
	}
	withoutContext := func(keys []string) (plain []string, ctx map[string]bool) {
		ctx = map[string]bool{}
		for _, k := range keys {
			if strings.HasPrefix(k, "_context_") {
				ctx[k] = true
			} else {
				plain = append(plain, k)
			}
		}
		return
	}
	op, oc := withoutContext(keysInOrder(t, oursInner))
	tp, tc := withoutContext(keysInOrder(t, theirsInner))
	if !reflect.DeepEqual(op, tp) || !reflect.DeepEqual(oc, tc) {
		t.Errorf("%s: fields %v + context %v, capture %v + %v", name, op, oc, tp, tc)
	}
	if o, c := decoded(t, oursInner), decoded(t, theirsInner); !reflect.DeepEqual(o, c) {
		t.Errorf("%s: values differ\nours:    %s\ncapture: %s", name, oursInner, theirsInner)
	}
}

// Every captured request decodes, and encoding the decoded request again
// gives the same message (fields, order, values).
func TestGoldenRequests(t *testing.T) {
	caps := loadCaptures(t)
	for _, name := range []string{"call", "cast", "fanout_cast", "call_to_server", "cast_to_server"} {
		c := caps[name]
		req, err := decodeRequest([]byte(c.Body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if req.Method != "test" || req.UniqueID == "" || req.Args["arg"] == nil {
			t.Errorf("%s: decoded %+v", name, req)
		}
		isCall := strings.HasPrefix(name, "call")
		if req.IsCall() != isCall || (isCall && req.Timeout != nil) {
			t.Errorf("%s: IsCall %v timeout %v", name, req.IsCall(), req.Timeout)
		}
		in, err := encodeRequest(req)
		if err != nil {
			t.Fatal(err)
		}
		body := wrapEnvelope(in)
		sameMessage(t, name, body, []byte(c.Body))
		// With at most one context field, the order question is moot:
		// our bytes are oslo's bytes.
		if name != "call" && string(body) != c.Body {
			t.Errorf("%s: not byte for byte\nours:    %s\ncapture: %s", name, body, c.Body)
		}
	}
	call, _ := decodeRequest([]byte(caps["call"].Body))
	if call.Context["user"] != "u1" || call.Context["request_id"] != "req-11111111-2222-3333-4444-555555555555" {
		t.Errorf("call context = %v", call.Context)
	}
}

// Every captured reply decodes, and re-encodes to the same message.
func TestGoldenReplies(t *testing.T) {
	caps := loadCaptures(t)
	for _, name := range []string{"reply_ok", "reply_failure", "reply_heartbeat"} {
		c := caps[name]
		rep, err := decodeReply([]byte(c.Body))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		in, err := encodeReply(rep)
		if err != nil {
			t.Fatal(err)
		}
		body := wrapEnvelope(in)
		sameMessage(t, name, body, []byte(c.Body))
		if string(body) != c.Body {
			t.Errorf("%s: not byte for byte\nours:    %s\ncapture: %s", name, body, c.Body)
		}
	}
	ok, _ := decodeReply([]byte(caps["reply_ok"].Body))
	if string(ok.Result) != `"hello"` || !ok.Ending || ok.Failure != nil {
		t.Errorf("reply_ok = %+v", ok)
	}
	beat, _ := decodeReply([]byte(caps["reply_heartbeat"].Body))
	if beat.Ending || string(beat.Result) != "null" || beat.Failure != nil {
		t.Errorf("reply_heartbeat = %+v", beat)
	}
	failed, _ := decodeReply([]byte(caps["reply_failure"].Body))
	f := failed.Failure
	if f == nil || f.Class != "UnsupportedVersion" || f.Module != "oslo_messaging.rpc.dispatcher" ||
		f.Message != "Endpoint does not support RPC version 1.9. Attempted method: test" || len(f.Traceback) != 3 {
		t.Fatalf("reply_failure = %+v", f)
	}
	// Our dispatcher's error for the same request says the same.
	var ours *Failure
	if !asFailure(&UnsupportedVersion{Version: "1.9", Method: "test"}, &ours) ||
		ours.Class != f.Class || ours.Module != f.Module || ours.Message != f.Message {
		t.Errorf("our UnsupportedVersion failure = %+v", ours)
	}
}

// Every captured message, notifications (v2 envelope and v1 plain dict)
// included, opens as a JSON object.
func TestGoldenEveryMessageOpens(t *testing.T) {
	for name, c := range loadCaptures(t) {
		m, err := openEnvelope([]byte(c.Body))
		if err != nil || len(m) == 0 {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// properties lists the AMQP properties of a Publishing the way the
// capture does (kombu's names).
func properties(p amqp.Publishing) map[string]any {
	m := map[string]any{
		"content_type":     p.ContentType,
		"content_encoding": p.ContentEncoding,
		"delivery_mode":    float64(p.DeliveryMode),
		"priority":         float64(p.Priority),
	}
	if p.Headers != nil {
		m["headers"] = map[string]any{}
	}
	if p.Expiration != "" {
		m["expiration"] = p.Expiration
	}
	return m
}

// Our publishings carry oslo's properties, a call's expiration being
// its timeout in ms; and our routing matches the captures'.
func TestGoldenPropertiesAndRouting(t *testing.T) {
	caps := loadCaptures(t)
	tr, err := NewTransport("rabbit://guest:guest@127.0.0.1:5672/", TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range map[string]amqp.Publishing{
		"call":        publishing(nil, 60*time.Second),
		"cast":        publishing(nil, 0),
		"reply_ok":    publishing(nil, 0),
		"fanout_cast": publishing(nil, 0),
	} {
		if got, want := properties(p), caps[name].Properties; !reflect.DeepEqual(got, want) {
			t.Errorf("%s: properties %v, capture %v", name, got, want)
		}
	}
	for name, target := range map[string]Target{
		"call":           {Topic: "test"},
		"call_to_server": {Topic: "test", Server: "server1"},
		"fanout_cast":    {Topic: "test", Fanout: true},
	} {
		c := NewRPCClient(tr, target, ClientOptions{})
		ex, key := c.route()
		if ex.name != caps[name].Exchange || key != caps[name].RoutingKey {
			t.Errorf("%s: routed to %q/%q, capture %q/%q", name, ex.name, key, caps[name].Exchange, caps[name].RoutingKey)
		}
	}
}

// On the wire, through a real broker: what our client publishes for a
// call with the default timeout is what oslo's did (a spy queue bound to
// the exchange sees it). amqp091-go leaves out an empty headers table,
// which every reader takes as no headers.
func TestGoldenOnTheWire(t *testing.T) {
	u := broker.Get(t).NewVhost(t)
	conn, err := amqp.Dial(u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.ExchangeDeclare("openstack", "topic", false, false, false, false, nil); err != nil {
		t.Fatal(err)
	}
	q, err := ch.QueueDeclare("spy", false, true, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := ch.QueueBind(q.Name, "#", "openstack", false, nil); err != nil {
		t.Fatal(err)
	}
	spy, err := ch.Consume(q.Name, "", true, false, false, false, nil)
	if err != nil {
		t.Fatal(err)
	}

	tr, err := NewTransport(strings.Replace(u, "amqp://", "rabbit://", 1), TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	client := NewRPCClient(tr, Target{Topic: "test"}, ClientOptions{})
	defer client.Close()
	ctx, cancel := context.WithCancel(WithRequestContext(t.Context(), RequestContext{"user_id": "u2"}))
	go func() {
		_ = client.Call(ctx, "test", Args{"arg": "hello"}, nil) // nobody answers; cancelled below
	}()
	var d amqp.Delivery
	select {
	case d = <-spy:
	case <-time.After(10 * time.Second):
		t.Fatal("the spy saw no call")
	}
	cancel()
	capt := loadCaptures(t)["call"]
	got := map[string]any{
		"content_type": d.ContentType, "content_encoding": d.ContentEncoding,
		"delivery_mode": float64(d.DeliveryMode), "priority": float64(d.Priority),
		"expiration": d.Expiration, "headers": map[string]any{},
	}
	if !reflect.DeepEqual(got, capt.Properties) || d.RoutingKey != capt.RoutingKey || d.Exchange != capt.Exchange {
		t.Errorf("on the wire: %s/%s %v, capture %s/%s %v", d.Exchange, d.RoutingKey, got, capt.Exchange, capt.RoutingKey, capt.Properties)
	}
	oursOuter, oursInner := inner(t, d.Body)
	_, theirsInner := inner(t, []byte(capt.Body))
	if !reflect.DeepEqual(oursOuter, []string{"oslo.version", "oslo.message"}) {
		t.Errorf("envelope keys %v", oursOuter)
	}
	want := []string{"method", "args", "_msg_id", "_reply_q", "_timeout", "_unique_id", "_context_user_id"}
	if got := keysInOrder(t, oursInner); !reflect.DeepEqual(got, want) {
		t.Errorf("call fields %v, want %v (capture: %v)", got, want, keysInOrder(t, theirsInner))
	}
	var m map[string]any
	_ = json.Unmarshal(oursInner, &m)
	if m["_timeout"] != nil || !strings.HasPrefix(m["_reply_q"].(string), "reply_") || len(m["_msg_id"].(string)) != 32 {
		t.Errorf("call fields %v", m)
	}
}
