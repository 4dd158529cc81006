package oslo_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// rawCaller sends hand-made requests and reads the replies from a queue
// of its own: it plays a client that does exactly what a test says.
type rawCaller struct {
	t       *testing.T
	ch      *amqp.Channel
	queue   string
	replies <-chan amqp.Delivery
}

func newRawCaller(e *env) *rawCaller {
	ch := e.raw()
	q := "reply_raw"
	if _, err := ch.QueueDeclare(q, false, true, false, false, nil); err != nil {
		e.t.Fatal(err)
	}
	d, err := ch.Consume(q, "", true, false, false, false, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	return &rawCaller{t: e.t, ch: e.raw(), queue: q, replies: d}
}

// envelope wraps an inner message (a map, or raw text) in oslo's 2.0
// envelope.
func envelope(inner any) []byte {
	text, ok := inner.(string)
	if !ok {
		b, _ := json.Marshal(inner)
		text = string(b)
	}
	b, _ := json.Marshal(map[string]string{"oslo.version": "2.0", "oslo.message": text})
	return b
}

func (r *rawCaller) send(key string, contentType string, body []byte) {
	r.t.Helper()
	err := r.ch.Publish("openstack", key, false, false, amqp.Publishing{ContentType: contentType, Body: body})
	if err != nil {
		r.t.Fatal(err)
	}
}

// call builds a call request with the given fields (and reply address).
func (r *rawCaller) call(msgID string, fields map[string]any) map[string]any {
	m := map[string]any{"_msg_id": msgID, "_reply_q": r.queue, "_timeout": nil, "_unique_id": msgID + "u"}
	for k, v := range fields {
		m[k] = v
	}
	return m
}

// reply is one decoded reply.
type reply struct {
	Result  any    `json:"result"`
	Failure string `json:"failure"`
	Ending  bool   `json:"ending"`
	MsgID   string `json:"_msg_id"`
}

// next waits for the next reply (a reply that never comes hangs the
// test until go test's -timeout, which prints where it waited).
func (r *rawCaller) next() (reply, bool) {
	r.t.Helper()
	select {
	case d := <-r.replies:
		var env struct {
			Version string `json:"oslo.version"`
			Message string `json:"oslo.message"`
		}
		if err := json.Unmarshal(d.Body, &env); err != nil || env.Version != "2.0" {
			r.t.Fatalf("reply is not a 2.0 envelope: %s", d.Body)
		}
		var rep reply
		if err := json.Unmarshal([]byte(env.Message), &rep); err != nil {
			r.t.Fatalf("reply message: %v: %s", err, env.Message)
		}
		if d.ContentType != "application/json" || d.ContentEncoding != "utf-8" {
			r.t.Errorf("reply properties: content_type %q, content_encoding %q", d.ContentType, d.ContentEncoding)
		}
		return rep, true
	case <-r.t.Context().Done():
		return reply{}, false
	}
}

// Heartbeats only when the caller set _timeout: every _timeout/2
// seconds while the method runs; never otherwise.
func TestReplyHeartbeatsOnlyWithTimeout(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&slow{D: 2500 * time.Millisecond}}, oslo.ServerOptions{Executor: oslo.NewPoolExecutor(2)})
	r := newRawCaller(e)
	r.send("test", "application/json", envelope(r.call("monitored", map[string]any{
		"method": "nap", "args": map[string]any{"arg": "a"}, "_timeout": 2})))
	r.send("test", "application/json", envelope(r.call("unmonitored", map[string]any{
		"method": "nap", "args": map[string]any{"arg": "b"}})))

	beats := map[string]int{}
	done := map[string]bool{}
	for len(done) < 2 {
		rep, ok := r.next()
		if !ok {
			t.Fatalf("replies so far: beats %v, done %v", beats, done)
		}
		if rep.Ending {
			done[rep.MsgID] = true
			continue
		}
		if rep.Result != nil || rep.Failure != "" {
			t.Errorf("heartbeat with content: %+v", rep)
		}
		beats[rep.MsgID]++
	}
	if beats["monitored"] < 1 {
		t.Errorf("no heartbeat for a call with _timeout=2 running 2.5 s")
	}
	if beats["unmonitored"] != 0 {
		t.Errorf("%d heartbeats for a call with _timeout null (a Python client would crash)", beats["unmonitored"])
	}

	// Our client uses them: a call-monitor timeout of 2 s does not fire
	// during a 2.5 s call because heartbeats keep renewing it.
	c := e.client(oslo.ClientOptions{Timeout: 20 * time.Second, CallMonitorTimeout: 2 * time.Second})
	if err := c.Call(t.Context(), "nap", oslo.Args{"arg": "c"}, nil); err != nil {
		t.Errorf("monitored call: %v", err)
	}
}

// A message delivered twice (same _unique_id) runs once.
func TestDuplicateUniqueIDIsDropped(t *testing.T) {
	e := newEnv(t)
	rec := &recorder{}
	srv := e.server("server01", []any{rec}, oslo.ServerOptions{})
	r := newRawCaller(e)
	cast := func(arg, unique string) {
		r.send("test", "application/json", envelope(map[string]any{
			"method": "test", "args": map[string]any{"arg": arg}, "_unique_id": unique}))
	}
	cast("dup", "deadbeefdeadbeefdeadbeefdeadbeef")
	cast("dup", "deadbeefdeadbeefdeadbeefdeadbeef")
	cast("marker", "0123456789abcdef0123456789abcdef")
	waitFor(t, "the marker cast", func() bool { return rec.count("marker") == 1 })
	if n := rec.count("dup"); n != 1 {
		t.Errorf("a duplicated message ran %d times, want 1", n)
	}
	if !strings.Contains(e.logs.String(), "duplicate") {
		t.Errorf("the duplicate was not logged:\n%s", e.logs)
	}

	// Reset (a daemon's SIGHUP) forgets the cache: the same id runs again.
	srv.Reset()
	cast("dup", "deadbeefdeadbeefdeadbeefdeadbeef")
	waitFor(t, "the same id after Reset", func() bool { return rec.count("dup") == 2 })
}

// Bad input is logged, never crashes the server, and a call that can be
// answered gets a failure reply.
func TestBadInputIsLoggedAndAnswered(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&recorder{}, failing{}}, oslo.ServerOptions{})
	r := newRawCaller(e)

	answered := []struct {
		name, contentType string
		body              []byte
		failureIn         string
	}{
		{"no content_type", "", envelope(r.call("m1", map[string]any{"method": "test", "args": map[string]any{"arg": "x"}})), "content_type"},
		{"no method", "application/json", envelope(r.call("m2", map[string]any{"args": map[string]any{}})), "no method"},
		{"args not a dict", "application/json", envelope(r.call("m3", map[string]any{"method": "test", "args": []int{1, 2}})), "args"},
		{"args that do not fit", "application/json", envelope(r.call("m4", map[string]any{"method": "sum", "args": map[string]any{"x": "one", "y": 2}})), "argument 'x' must be int"},
		{"missing argument", "application/json", envelope(r.call("m5", map[string]any{"method": "test", "args": map[string]any{}})), "missing 1 required keyword argument: 'arg'"},
	}
	for _, tc := range answered {
		r.send("test", tc.contentType, tc.body)
		rep, ok := r.next()
		if !ok {
			t.Fatalf("%s: no reply", tc.name)
		}
		if !rep.Ending || !strings.Contains(rep.Failure, tc.failureIn) {
			t.Errorf("%s: reply %+v, want a failure mentioning %q", tc.name, rep, tc.failureIn)
		}
	}

	// Unanswerable: nobody knows where the reply would go.
	r.send("test", "application/json", []byte("this is not JSON"))
	r.send("test", "application/json", envelope(`{"method": "test", broken`))
	r.send("test", "application/json", []byte(`{"oslo.version": "2.0", "oslo.message": 42}`))
	waitFor(t, "the bad messages to be logged", func() bool {
		logs := e.logs.String()
		return strings.Contains(logs, "body is not a JSON object") &&
			strings.Contains(logs, "oslo.message is not a JSON object") &&
			strings.Contains(logs, "oslo.message is not a JSON string")
	})

	// A version 1 message (a plain dict, no envelope) is still read.
	v1, _ := json.Marshal(r.call("v1", map[string]any{"method": "test", "args": map[string]any{"arg": "old"}}))
	r.send("test", "application/json", v1)
	if rep, ok := r.next(); !ok || rep.Result != "old" {
		t.Errorf("v1 message: reply %+v", rep)
	}

	// And the server still serves.
	var got string
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	if err := c.Call(t.Context(), "test", oslo.Args{"arg": "alive"}, &got); err != nil || got != "alive" {
		t.Errorf("after bad input: %q, %v", got, err)
	}
}

// topology lists the vhost's queues and exchanges through the
// management API, as rabbitmqctl list_queues did for the capture.
type queueInfo struct {
	Name       string         `json:"name"`
	Durable    bool           `json:"durable"`
	AutoDelete bool           `json:"auto_delete"`
	Exclusive  bool           `json:"exclusive"`
	Arguments  map[string]any `json:"arguments"`
}

type exchangeInfo struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	Durable    bool   `json:"durable"`
	AutoDelete bool   `json:"auto_delete"`
}

func topology(t *testing.T, e *env) (map[string]queueInfo, map[string]exchangeInfo) {
	t.Helper()
	u, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	vhost := strings.TrimPrefix(u.Path, "/")
	get := func(kind string, into any) {
		mu, err := url.Parse(broker.Get(t).ManagementURL())
		if err != nil {
			t.Fatal(err)
		}
		pass, _ := mu.User.Password()
		user := mu.User.Username()
		mu.User = nil
		req, _ := http.NewRequest(http.MethodGet, fmt.Sprintf("%s/api/%s/%s", mu, kind, url.PathEscape(vhost)), nil)
		req.SetBasicAuth(user, pass)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		if err := json.NewDecoder(resp.Body).Decode(into); err != nil {
			t.Fatalf("management API %s: %v", kind, err)
		}
	}
	var qs []queueInfo
	var xs []exchangeInfo
	get("queues", &qs)
	get("exchanges", &xs)
	queues, exchanges := map[string]queueInfo{}, map[string]exchangeInfo{}
	replyQueues := 0
	for _, q := range qs {
		if strings.HasPrefix(q.Name, "reply_") && q.Name != "reply_raw" {
			replyQueues++
		}
	}
	if replyQueues > 1 {
		t.Errorf("%d reply queues; one client should have one", replyQueues)
	}
	for _, q := range qs {
		if strings.HasPrefix(q.Name, "test_fanout_") {
			q.Name = "test_fanout_*"
		}
		if strings.HasPrefix(q.Name, "reply_") && q.Name != "reply_raw" {
			q.Name = "reply_*"
		}
		queues[q.Name] = q
	}
	for _, x := range xs {
		exchanges[x.Name] = x
	}
	return queues, exchanges
}

// The exchanges and queues have oslo's flags (as in the captured
// topology), and the transport_url options change them the way oslo's do.
func TestTopologyFlagsAreOslosAndFollowTheURLOptions(t *testing.T) {
	type want struct {
		durable, autoDelete bool
		args                string
	}
	check := func(t *testing.T, queues map[string]queueInfo, name string, w want) {
		t.Helper()
		q, ok := queues[name]
		if !ok {
			t.Errorf("queue %s missing (have %v)", name, queues)
			return
		}
		args, _ := json.Marshal(q.Arguments)
		if q.Durable != w.durable || q.AutoDelete != w.autoDelete || q.Exclusive || string(args) != w.args {
			t.Errorf("queue %s: durable=%v auto_delete=%v exclusive=%v args=%s, want durable=%v auto_delete=%v args=%s",
				name, q.Durable, q.AutoDelete, q.Exclusive, args, w.durable, w.autoDelete, w.args)
		}
	}
	expires := `{"x-expires":1800000}`
	for _, tc := range []struct {
		name    string
		query   []string
		durable bool
		topicQ  string
	}{
		{"defaults", nil, false, `{}`},
		{"amqp_durable_queues", []string{"amqp_durable_queues=true"}, true, `{}`},
		{"rabbit_quorum_queue", []string{"rabbit_quorum_queue=true"}, true, `{"x-queue-type":"quorum"}`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			e := newEnv(t)
			tr := e.transport(tc.query...)
			e.serverOn(tr, oslo.Target{Topic: "test", Server: "server1"}, []any{&recorder{}}, oslo.ServerOptions{})
			c := oslo.NewRPCClient(tr, oslo.Target{Topic: "test"}, oslo.ClientOptions{Timeout: 10 * time.Second})
			defer c.Close()
			if err := c.Call(t.Context(), "whoami", nil, nil); err != nil {
				t.Fatal(err)
			}
			queues, exchanges := topology(t, e)
			check(t, queues, "test", want{tc.durable, false, tc.topicQ})
			check(t, queues, "test.server1", want{tc.durable, false, tc.topicQ})
			check(t, queues, "test_fanout_*", want{false, false, expires})
			check(t, queues, "reply_*", want{false, false, expires})
			if x := exchanges["openstack"]; x.Type != "topic" || x.Durable != tc.durable || x.AutoDelete {
				t.Errorf("exchange openstack = %+v", x)
			}
			if x := exchanges["test_fanout"]; x.Type != "fanout" || x.Durable || !x.AutoDelete {
				t.Errorf("exchange test_fanout = %+v", x)
			}
		})
	}
}
