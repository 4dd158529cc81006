package mq_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	neturl "net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// A consumer on a recovering connection gets a message before the
// broker goes away and one after it is back, with the same [mq.Consume]
// call; its log says what happened.
func TestConsumerSurvivesBrokerStopAndStart(t *testing.T) {
	b := broker.Get(t)
	url := b.NewVhost(t)
	ctx := t.Context()

	log := &lines{}
	opts := mq.RecoveryOptions{Interval: 500 * time.Millisecond, MaxAttempts: 120, Logf: log.printf}
	conn, err := mq.DialRecovering(ctx, url, mq.DialOptions{}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mq.DeclareQueue(ch, "jobs", true); err != nil {
		t.Fatal(err)
	}
	ch.Close()

	type seen struct {
		body        string
		redelivered bool
	}
	got := make(chan seen, 10)
	consumeErr := make(chan error, 1)
	cctx, stop := context.WithCancel(ctx)
	go func() {
		consumeErr <- mq.Consume(cctx, conn, mq.ConsumeOptions{Queue: "jobs", Logf: log.printf},
			func(_ context.Context, d amqp.Delivery) error {
				log.printf("handled %q (delivery %d, redelivered %v)", d.Body, d.DeliveryTag, d.Redelivered)
				got <- seen{string(d.Body), d.Redelivered}
				return nil
			})
	}()

	send := func(body string) {
		t.Helper()
		// Right after a restart the broker may still be booting;
		// retry the one-shot publisher briefly.
		for {
			err := publishOne(ctx, url, "jobs", body)
			if err == nil {
				return
			}
			select {
			case <-ctx.Done():
				t.Fatalf("publish %q: %v", body, err)
			case <-time.After(time.Second):
			}
		}
	}
	expect := func(body string, again ...string) {
		t.Helper()
		for {
			select {
			case g := <-got:
				// At least once: an ack sent just before the broker
				// went down may be lost with it; the message then
				// comes again, flagged redelivered. Handlers must
				// cope (make them idempotent).
				if g.redelivered && slices.Contains(again, g.body) {
					continue
				}
				if g.body != body {
					t.Fatalf("consumer got %+v, want %q; log:\n%s", g, body, log)
				}
				return
			case err := <-consumeErr:
				t.Fatalf("Consume ended: %v; log:\n%s", err, log)
			case <-ctx.Done():
				t.Fatalf("consumer did not get %q; log:\n%s", body, log)
			}
		}
	}

	send("before")
	expect("before")

	b.Stop(t)
	log.waitFor(t, "connection lost")
	b.Start(t)

	send("after")
	expect("after", "before")
	log.waitFor(t, "reconnected to")

	stop()
	if err := <-consumeErr; err != nil {
		t.Fatalf("Consume after stop = %v, want nil", err)
	}
	t.Logf("log:\n%s", log)
}

// When the broker never comes back, recovery gives up after its
// bounded attempts, says so, and [mq.Consume] returns an error rather
// than hanging. The "broker" here is a TCP proxy we can kill for good.
func TestRecoveryGivesUpAfterBoundedAttempts(t *testing.T) {
	target, err := neturl.Parse(vhost(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, target.Host)
	viaProxy := *target
	viaProxy.Host = p.addr()

	log := &lines{}
	ctx := t.Context()
	opts := mq.RecoveryOptions{Interval: 100 * time.Millisecond, MaxAttempts: 3, Logf: log.printf}
	conn, err := mq.DialRecovering(ctx, viaProxy.String(), mq.DialOptions{Timeout: time.Second}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mq.DeclareQueue(ch, "jobs", false); err != nil {
		t.Fatal(err)
	}
	ch.Close()

	done := make(chan error, 1)
	go func() {
		done <- mq.Consume(ctx, conn, mq.ConsumeOptions{Queue: "jobs"},
			func(context.Context, amqp.Delivery) error { return nil })
	}()
	time.Sleep(200 * time.Millisecond) // let it subscribe
	p.kill()

	select {
	case err := <-done:
		if !errors.Is(err, mq.ErrConsumerClosed) {
			t.Errorf("Consume = %v, want ErrConsumerClosed", err)
		}
	case <-ctx.Done():
		t.Fatalf("Consume still running after recovery should have given up; log:\n%s", log)
	}
	log.waitFor(t, "connection lost")
	log.waitFor(t, "reconnect attempt 3 failed")
	log.waitFor(t, "gave up reconnecting")
	t.Logf("log:\n%s", log)
}

// A delivery being handled when the connection drops was requeued by
// the broker; after recovery the new channel numbers deliveries from 1
// again, so acking the old tag would ack a different message. [mq.Consume]
// must skip that ack, handle the redelivery, and keep going.
func TestNoAckAcrossAReconnect(t *testing.T) {
	target, err := neturl.Parse(vhost(t))
	if err != nil {
		t.Fatal(err)
	}
	p := startProxy(t, target.Host)
	viaProxy := *target
	viaProxy.Host = p.addr()

	log := &lines{}
	ctx := t.Context()
	opts := mq.RecoveryOptions{Interval: 100 * time.Millisecond, MaxAttempts: 50, Logf: log.printf}
	conn, err := mq.DialRecovering(ctx, viaProxy.String(), mq.DialOptions{Timeout: 2 * time.Second}, opts)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mq.DeclareQueue(ch, "jobs", true); err != nil {
		t.Fatal(err)
	}
	ch.Close()
	// Published straight to the broker, not through the proxy.
	if err := publishOne(ctx, target.String(), "jobs", "slow"); err != nil {
		t.Fatal(err)
	}

	type seen struct {
		body        string
		redelivered bool
	}
	got := make(chan seen, 10)
	release := make(chan struct{})
	first := true
	cctx, stop := context.WithCancel(ctx)
	consumeErr := make(chan error, 1)
	go func() {
		consumeErr <- mq.Consume(cctx, conn, mq.ConsumeOptions{Queue: "jobs", Logf: log.printf},
			func(_ context.Context, d amqp.Delivery) error {
				got <- seen{string(d.Body), d.Redelivered}
				if first {
					first = false
					<-release // still "working" when the network blips
				}
				return nil
			})
	}()

	if g := <-got; g != (seen{"slow", false}) {
		t.Fatalf("first delivery %+v", g)
	}
	p.drop()
	log.waitFor(t, "reconnected to")
	close(release)

	select {
	case g := <-got:
		if g != (seen{"slow", true}) {
			t.Fatalf("after the reconnect got %+v, want \"slow\" redelivered", g)
		}
	case <-ctx.Done():
		t.Fatalf("no redelivery after the reconnect; log:\n%s", log)
	}

	// Still consuming, and nothing left unacked or broken.
	if err := publishOne(ctx, target.String(), "jobs", "next"); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-got:
		if g.body != "next" {
			t.Fatalf("got %+v, want \"next\"", g)
		}
	case <-ctx.Done():
		t.Fatalf("consumer stuck after the reconnect; log:\n%s", log)
	}
	stop()
	if err := <-consumeErr; err != nil {
		t.Fatalf("Consume = %v; log:\n%s", err, log)
	}
	if l := log.String(); strings.Contains(l, "answer delivery") || strings.Contains(l, "PRECONDITION_FAILED") {
		t.Errorf("an ack went wrong; log:\n%s", l)
	}
	log.waitFor(t, "not answering delivery 1")
	if n, err := mq.CountQueue(ctx, target.String(), "jobs"); err != nil || n != 0 {
		t.Errorf("queue holds %d (err %v), want 0", n, err)
	}
	t.Logf("log:\n%s", log)
}

// proxy forwards TCP to a broker until killed; then its port refuses.
type proxy struct {
	l     net.Listener
	mu    sync.Mutex
	conns []net.Conn
}

func startProxy(t *testing.T, target string) *proxy {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{l: l}
	t.Cleanup(p.kill)
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			up, err := net.Dial("tcp", target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, up)
			p.mu.Unlock()
			go func() { io.Copy(up, c); up.Close() }()
			go func() { io.Copy(c, up); c.Close() }()
		}
	}()
	return p
}

func (p *proxy) addr() string { return p.l.Addr().String() }

// drop cuts every open connection but keeps accepting new ones: a
// network blip, from the client's point of view.
func (p *proxy) drop() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func (p *proxy) kill() {
	p.l.Close()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

func publishOne(ctx context.Context, url, queue, body string) error {
	conn, err := mq.Dial(ctx, url, mq.DialOptions{Timeout: 3 * time.Second})
	if err != nil {
		return err
	}
	defer conn.Close()
	pub, err := mq.NewPublisher(conn, true)
	if err != nil {
		return err
	}
	defer pub.Close()
	mctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return pub.Publish(mctx, mq.Message{Key: queue, Body: []byte(body), Persistent: true})
}

// lines collects log lines for assertions.
type lines struct {
	mu sync.Mutex
	l  []string
}

func (l *lines) printf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.l = append(l.l, time.Now().Format("15:04:05.000 ")+fmt.Sprintf(format, args...))
}

func (l *lines) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.l, "\n")
}

// waitFor waits until a log line contains substr. It has no deadline
// of its own: on a busy machine the broker may take its time, and a
// line that never comes fails the run at go test's -timeout.
func (l *lines) waitFor(t *testing.T, substr string) {
	t.Helper()
	for !strings.Contains(l.String(), substr) {
		select {
		case <-t.Context().Done():
			t.Fatalf("no log line with %q; log:\n%s", substr, l)
		case <-time.After(50 * time.Millisecond):
		}
	}
}
