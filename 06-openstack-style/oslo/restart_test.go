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
func TestServerAndClientWorkAgainAfterABrokerRestart(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&recorder{name: "server01"}}, oslo.ServerOptions{})
	c := e.client(oslo.ClientOptions{Timeout: 2 * time.Second})
	ctx := t.Context()
	if err := c.Call(ctx, "whoami", nil, nil); err != nil {
		t.Fatal(err)
	}

	broker.Get(t).Restart(t)

	// Calls fail while the server reconnects; the test goes on trying
	// until one works (go test's -timeout ends a server that never does).
	restarted := time.Now()
	for attempt := 1; ; attempt++ {
		var name string
		err := c.Call(ctx, "whoami", nil, &name)
		if err == nil && name == "server01" {
			t.Logf("call %d worked, %v after the restart", attempt, time.Since(restarted))
			break
		}
		if attempt%10 == 1 {
			t.Logf("call %d after the restart: %v", attempt, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
	if !strings.Contains(e.logs.String(), "reconnected") {
		t.Errorf("the server did not log reconnecting:\n%s", e.logs)
	}
}
