package oslo_test

import (
	"errors"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

func TestParseTransportURLReadsHostsVhostAndOptions(t *testing.T) {
	u, err := oslo.ParseTransportURL("rabbit://nova:s%40cret@mq1:5673,mq2,other:pw@[::1]:5674/nova%2Fprod?amqp_durable_queues=true&rabbit_transient_queues_ttl=60")
	if err != nil {
		t.Fatal(err)
	}
	want := []oslo.TransportHost{
		{Hostname: "mq1", Port: 5673, Username: "nova", Password: "s@cret"},
		{Hostname: "mq2", Port: 5672, Username: "nova", Password: "s@cret"}, // inherits
		{Hostname: "::1", Port: 5674, Username: "other", Password: "pw"},
	}
	if len(u.Hosts) != len(want) {
		t.Fatalf("hosts = %+v", u.Hosts)
	}
	for i := range want {
		if u.Hosts[i] != want[i] {
			t.Errorf("host %d = %+v, want %+v", i, u.Hosts[i], want[i])
		}
	}
	if u.VirtualHost != "nova/prod" || !u.Options.DurableQueues || u.Options.TransientQueuesTTL != time.Minute {
		t.Errorf("vhost %q options %+v", u.VirtualHost, u.Options)
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

	allDead, err := oslo.NewTransport("rabbit://guest:secret@127.0.0.1:1,guest:secret@127.0.0.1:2/", oslo.TransportOptions{DialTimeout: time.Second})
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
