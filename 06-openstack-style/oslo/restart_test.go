package oslo_test

import (
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// The broker restarts under a running server and client: the server
// connects again and declares its queues again (oslo's are not durable, so
// the restart lost them), the client's next calls open new channels and a
// new reply consumer, and calls work again.
func TestBrokerRestart(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&recorder{name: "server01"}}, oslo.ServerOptions{})
	c := e.client(oslo.ClientOptions{Timeout: 2 * time.Second})
	ctx := ctxFor(t, 3*time.Minute)
	if err := c.Call(ctx, "whoami", nil, nil); err != nil {
		t.Fatal(err)
	}

	broker.Get(t).Restart(t)

	var err error
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		var name string
		if err = c.Call(ctx, "whoami", nil, &name); err == nil && name == "server01" {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		t.Fatalf("no call worked within a minute of the restart: %v", err)
	}
	if !strings.Contains(e.logs.String(), "reconnected") {
		t.Errorf("the server did not log reconnecting:\n%s", e.logs)
	}
}
