//go:build exercises

package exercises_test

import (
	"context"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One RabbitMQ for the package: from AMQP_URL, or a container
// testcontainers starts (see internal/broker).
func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// transport gives a test a vhost of its own and an oslo transport to it;
// it returns the transport and the vhost's transport URL (for Python).
func transport(t *testing.T) (*oslo.Transport, string) {
	t.Helper()
	url := strings.Replace(broker.Get(t).NewVhost(t), "amqp://", "rabbit://", 1)
	tr, err := oslo.NewTransport(url, oslo.TransportOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { tr.Close() })
	return tr, url
}

// serve starts a server for endpoints on target until the test ends.
func serve(t *testing.T, tr *oslo.Transport, target oslo.Target, endpoints ...any) {
	t.Helper()
	srv, err := oslo.NewRPCServer(tr, target, endpoints, oslo.ServerOptions{})
	if err != nil {
		t.Fatalf("new server on %v: %v", target, err)
	}
	if err := srv.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Stop(); srv.Wait() })
}

// client returns an RPC client for topic, closed at cleanup.
func client(t *testing.T, tr *oslo.Transport, topic string) *oslo.RPCClient {
	t.Helper()
	c := oslo.NewRPCClient(tr, oslo.Target{Topic: topic}, oslo.ClientOptions{Timeout: 20 * time.Second})
	t.Cleanup(func() { c.Close() })
	return c
}

// recorder is an endpoint whose test records each arg it got.
type recorder struct {
	mu  sync.Mutex
	got []string
}

type testArgs struct {
	Arg string `json:"arg"`
}

func (r *recorder) Test(ctx context.Context, a testArgs) (string, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, a.Arg)
	return a.Arg, nil
}

// seen returns what the endpoint has recorded so far.
func (r *recorder) seen() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}
