package oslo_test

import (
	"errors"
	"io"
	"log/slog"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

func TestParseTransportURLReadsHostsVhostAndOptions(t *testing.T) {
	u, err := oslo.ParseTransportURL("rabbit://nova:s%40cret@mq1:5673,mq2,other:pw@[::1]:5674,cinder@mq4/nova%2Fprod?amqp_durable_queues=true&rabbit_transient_queues_ttl=60")
	if err != nil {
		t.Fatal(err)
	}
	want := []oslo.TransportHost{
		{Hostname: "mq1", Port: 5673, Username: "nova", Password: "s@cret"},
		{Hostname: "mq2", Port: 5672, Username: "guest", Password: "guest"}, // as oslo: kombu's default
		{Hostname: "::1", Port: 5674, Username: "other", Password: "pw"},
		{Hostname: "mq4", Port: 5672, Username: "cinder", Password: "guest"},
	}
	if len(u.Hosts) != len(want) {
		t.Fatalf("hosts = %+v", u.Hosts)
	}
	for i := range want {
		if u.Hosts[i] != want[i] {
			t.Errorf("host %d = %+v, want %+v", i, u.Hosts[i], want[i])
		}
	}
	if u.VirtualHost != "nova/prod" || !u.Options.DurableQueues || u.Options.TransientQueuesTTL != time.Minute ||
		u.Options.FailoverStrategy != "round-robin" || u.Options.QuorumQueues {
		t.Errorf("vhost %q options %+v", u.VirtualHost, u.Options)
	}

	// The cluster URL of this lesson's cluster page, with oslo's quorum
	// options.
	u, err = oslo.ParseTransportURL("rabbit://guest:guest@h1:5672,guest:guest@h2:5673,guest:guest@h3:5674/" +
		"?rabbit_quorum_queue=true&rabbit_quorum_delivery_limit=5&kombu_failover_strategy=shuffle")
	if err != nil {
		t.Fatal(err)
	}
	if len(u.Hosts) != 3 || u.Hosts[1].Address() != "h2:5673" || u.VirtualHost != "/" {
		t.Errorf("cluster URL: hosts %+v vhost %q", u.Hosts, u.VirtualHost)
	}
	if o := u.Options; !o.QuorumQueues || o.QuorumDeliveryLimit != 5 || o.FailoverStrategy != "shuffle" {
		t.Errorf("cluster URL options %+v", o)
	}
	if strings.Contains(u.String(), "cret") {
		t.Errorf("String() shows a password: %s", u)
	}

	for _, tc := range []struct{ in, vhost string }{
		{"rabbit://guest:guest@localhost:5672/", "/"},
		{"rabbit://guest:guest@localhost:5672//", "/"},
		{"rabbit://guest:guest@localhost", "/"},
		{"kombu://guest:guest@localhost/nova", "nova"},
		{"amqp://guest:guest@localhost/%2F", "/"},
	} {
		u, err := oslo.ParseTransportURL(tc.in)
		if err != nil || u.VirtualHost != tc.vhost {
			t.Errorf("%s: vhost %q, err %v; want %q", tc.in, u.VirtualHost, err, tc.vhost)
		}
	}
}

// A bad URL's error says what is wrong, and never shows the password.
func TestParseTransportURLErrorsNameTheProblem(t *testing.T) {
	for _, tc := range []struct{ in, reason string }{
		{"localhost:5672", "no scheme"},
		{"http://guest:guest@localhost/", "unsupported scheme \"http\""},
		{"rabbit:///vhost", "no host"},
		{"rabbit://guest:secret@localhost:99999/", "bad port \"99999\""},
		{"rabbit://guest:secret@mq1,guest:secret@:5672/", "host 2 has no host name"},
		{"rabbit://guest:secret@localhost/?amqp_durable_queue=true", "unknown option \"amqp_durable_queue\""},
		{"rabbit://guest:secret@localhost/?amqp_durable_queues=maybe", "want true or false"},
		{"rabbit://guest:secret@[::1/", "unclosed ["},
		{"rabbit://guest:secret@localhost/?kombu_failover_strategy=random", "want round-robin or shuffle"},
		{"rabbit://guest:secret@localhost/?rabbit_quorum_delivery_limit=-1", "want a number"},
	} {
		_, err := oslo.ParseTransportURL(tc.in)
		var bad *oslo.InvalidTransportURL
		if !errors.As(err, &bad) {
			t.Errorf("%s: err = %v, want *InvalidTransportURL", tc.in, err)
			continue
		}
		if !strings.Contains(bad.Reason, tc.reason) {
			t.Errorf("%s: reason %q, want it to contain %q", tc.in, bad.Reason, tc.reason)
		}
		if strings.Contains(err.Error(), "secret") {
			t.Errorf("%s: error shows the password: %v", tc.in, err)
		}
	}
}

// Several hosts: the first is down, the transport fails over to the next.
// When all are down the error names each of them.
func TestTransportFailsOverToTheNextHost(t *testing.T) {
	e := newEnv(t)
	u, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	dead := "127.0.0.1:1" // nothing listens on port 1
	withDeadFirst := "rabbit://" + u.User.String() + "@" + dead + "," + u.User.String() + "@" + u.Host + u.EscapedPath()
	tr, err := oslo.NewTransport(withDeadFirst, oslo.TransportOptions{Logger: e.transportLogger()})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	e.serverOn(tr, oslo.Target{Topic: "test", Server: "server01"}, []any{&recorder{name: "server01"}}, oslo.ServerOptions{})
	c := oslo.NewRPCClient(tr, oslo.Target{Topic: "test"}, oslo.ClientOptions{Timeout: 10 * time.Second})
	defer c.Close()
	var name string
	if err := c.Call(t.Context(), "whoami", nil, &name); err != nil || name != "server01" {
		t.Fatalf("call through the second host: %q, %v", name, err)
	}
	if !strings.Contains(e.logs.String(), "failed over") {
		t.Errorf("failover not logged:\n%s", e.logs)
	}

	allDead, err := oslo.NewTransport("rabbit://guest:secret@127.0.0.1:1,guest:secret@127.0.0.1:2/", oslo.TransportOptions{DialTimeout: time.Second, ConnectAttempts: 1})
	if err != nil {
		t.Fatal(err)
	}
	err = allDead.Connect()
	if err == nil || !strings.Contains(err.Error(), "127.0.0.1:1") || !strings.Contains(err.Error(), "127.0.0.1:2") {
		t.Errorf("all hosts down: err = %v, want both hosts named", err)
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("error shows the password: %v", err)
	}
}

// A server and a client started while the broker still resets every
// connection keep trying, each attempt logged with its error and the next
// delay, and connect once the broker accepts; then calls work.
func TestFirstConnectionRetriesUntilTheBrokerAccepts(t *testing.T) {
	e := newEnv(t)
	u, err := url.Parse(e.url)
	if err != nil {
		t.Fatal(err)
	}
	b := broker.NewStarting(t, u.Host)
	opts := oslo.TransportOptions{Logger: e.transportLogger(),
		RetryInterval: 10 * time.Millisecond, MaxRetryInterval: 50 * time.Millisecond, ConnectAttempts: 1_000_000}
	newTransport := func() *oslo.Transport {
		tr, err := oslo.NewTransport(proxyURL(t, b, e.url), opts)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { tr.Close() })
		return tr
	}
	srvTr, cliTr := newTransport(), newTransport()
	srv, err := oslo.NewRPCServer(srvTr, oslo.Target{Topic: "test", Server: "server01"},
		[]any{&recorder{name: "server01"}}, oslo.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	started, connected := make(chan error, 1), make(chan error, 1)
	go func() { started <- srv.Start() }()
	go func() { connected <- cliTr.Connect() }()

	// Both have been turned away twice: now the broker is "up".
	for range 4 {
		<-b.Reset
	}
	b.Up()
	if err := <-started; err != nil {
		t.Fatalf("server Start: %v", err)
	}
	t.Cleanup(func() { srv.Stop(); srv.Wait() })
	if err := <-connected; err != nil {
		t.Fatalf("client transport Connect: %v", err)
	}
	t.Logf("the broker reset %d connections before it was up", b.Resets())

	c := oslo.NewRPCClient(cliTr, oslo.Target{Topic: "test"}, oslo.ClientOptions{Timeout: time.Minute})
	defer c.Close()
	var name string
	if err := c.Call(t.Context(), "whoami", nil, &name); err != nil || name != "server01" {
		t.Fatalf("call after the broker came up: %q, %v", name, err)
	}

	logs := e.logs.String()
	retries := 0
	for _, line := range strings.Split(logs, "\n") {
		if strings.Contains(line, "cannot connect to the broker; retrying") {
			retries++
			if !strings.Contains(line, " err=") || !strings.Contains(line, " retry_in=") {
				t.Errorf("a retry line without its error and delay: %s", line)
			}
		}
	}
	if retries < 4 {
		t.Errorf("%d retry lines, want one per reset (at least 4):\n%s", retries, logs)
	}
	if !strings.Contains(logs, "connected to the broker") {
		t.Errorf("connecting after retries was not logged:\n%s", logs)
	}
}

// A broker that never comes up: the first connection gives up after
// ConnectAttempts attempts (counted at the broker's door), with an error
// that says so and wraps [oslo.ErrBrokerUnreachable].
func TestFirstConnectionGivesUpAfterConnectAttempts(t *testing.T) {
	b := broker.NewStarting(t, "")
	logs := &logBuffer{}
	tr, err := oslo.NewTransport(proxyURL(t, b, "amqp://guest:guest@localhost/"), oslo.TransportOptions{
		Logger:        slog.New(slog.NewTextHandler(logs, nil)),
		RetryInterval: time.Millisecond, MaxRetryInterval: 4 * time.Millisecond, ConnectAttempts: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	err = tr.Connect()
	t.Logf("Connect: %v", err)
	if !errors.Is(err, oslo.ErrBrokerUnreachable) || !strings.Contains(err.Error(), "after 3 attempts") {
		t.Errorf("err = %v, want ErrBrokerUnreachable after 3 attempts", err)
	}
	if n := b.Resets(); n != 3 {
		t.Errorf("the broker saw %d connections, want 3", n)
	}
	if n := strings.Count(logs.String(), "cannot connect to the broker; retrying"); n != 2 {
		t.Errorf("%d retry lines, want 2 (the third attempt gives up):\n%s", n, logs)
	}
	if !strings.Contains(logs.String(), "giving up on the broker") {
		t.Errorf("giving up was not logged:\n%s", logs)
	}
}

// Close ends the retries of a transport that waits for its broker.
func TestCloseEndsTheRetriesOfTheFirstConnection(t *testing.T) {
	b := broker.NewStarting(t, "")
	tr, err := oslo.NewTransport(proxyURL(t, b, "amqp://guest:guest@localhost/"), oslo.TransportOptions{
		Logger:        slog.New(slog.NewTextHandler(io.Discard, nil)),
		RetryInterval: time.Hour, ConnectAttempts: 1_000_000})
	if err != nil {
		t.Fatal(err)
	}
	connected := make(chan error, 1)
	go func() { connected <- tr.Connect() }()
	<-b.Reset // the first attempt failed; the next is an hour away
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	if err := <-connected; !errors.Is(err, oslo.ErrTransportClosed) {
		t.Errorf("Connect after Close: %v, want ErrTransportClosed", err)
	}
}

// proxyURL is a transport_url for the proxy with the credentials and
// vhost of the broker URL amqpURL.
func proxyURL(t *testing.T, b *broker.Starting, amqpURL string) string {
	t.Helper()
	u, err := url.Parse(amqpURL)
	if err != nil {
		t.Fatal(err)
	}
	return "rabbit://" + u.User.String() + "@" + b.Addr() + u.EscapedPath()
}
