package broker

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"
)

// One broker per test package: started on first use (so go test -run of
// a test that needs none starts nothing) and removed when the package's
// tests are done.
var (
	once    sync.Once
	shared  *Broker
	openErr error
)

// Main runs a test package's tests and then removes the broker they
// started. Use it from TestMain: os.Exit(broker.Main(m)).
func Main(m *testing.M) int {
	code := m.Run()
	if shared != nil {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := shared.Close(ctx); err != nil {
			fmt.Fprintf(os.Stderr, "broker: remove container: %v\n", err)
		}
	}
	return code
}

// Get returns the package's broker. Without one, the test is skipped
// with how to get a broker, or fails when CI is set.
func Get(t testing.TB) *Broker {
	t.Helper()
	once.Do(func() {
		// Not t.Context(): the broker outlives this test, it serves the
		// whole package.
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
		defer cancel()
		shared, openErr = Open(ctx)
	})
	if openErr != nil {
		msg := fmt.Sprintf("no broker for this test: %v; to run it, %s", openErr, HowTo)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Skip(msg)
	}
	return shared
}

// NewVhost creates a vhost for this test alone, deleted when the test
// ends, and returns its AMQP URL. If the management API cannot be reached
// (a broker from AMQP_URL without the plugin), the test gets the URL's
// own vhost and a log line saying so; use unique names then.
func (b *Broker) NewVhost(t testing.TB) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), 30*time.Second)
	defer cancel()
	vhost, u, err := b.CreateVhost(ctx, t.Name())
	if err != nil {
		if b.Managed() || os.Getenv("CI") != "" {
			t.Fatalf("fresh vhost: %v", err)
		}
		t.Logf("no fresh vhost (%v); using %s as it is", err, b.URL())
		return b.URL()
	}
	t.Cleanup(func() {
		// t.Context() is already canceled when cleanups run.
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if err := b.DeleteVhost(ctx, vhost); err != nil {
			t.Logf("cleanup: %v", err)
		}
	})
	return u
}

// requireManaged skips (fails under CI) a test that must stop the broker
// when the broker is somebody else's.
func (b *Broker) requireManaged(t testing.TB) {
	t.Helper()
	if b.Managed() {
		return
	}
	msg := "this test stops and starts the broker, so it needs one the tests start themselves: unset AMQP_URL and start Docker"
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Stop stops the broker; connections to it break. Pair it with [Start].
func (b *Broker) Stop(t testing.TB) {
	t.Helper()
	b.requireManaged(t)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	if err := b.StopBroker(ctx); err != nil {
		t.Fatal(err)
	}
}

// Start starts a stopped broker at the same address and waits until it
// accepts connections.
func (b *Broker) Start(t testing.TB) {
	t.Helper()
	b.requireManaged(t)
	ctx, cancel := context.WithTimeout(t.Context(), 2*time.Minute)
	defer cancel()
	if err := b.StartBroker(ctx); err != nil {
		t.Fatal(err)
	}
}

// Restart stops and starts the broker: what survives is what a real
// broker restart keeps (durable queues and their persistent messages).
func (b *Broker) Restart(t testing.TB) {
	t.Helper()
	b.Stop(t)
	b.Start(t)
}
