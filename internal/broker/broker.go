// Package broker gives tests, the benchmark and the tour a RabbitMQ to talk to.
//
// Where the broker comes from, in this order:
//  1. AMQP_URL is set: that broker (for example the one "docker compose
//     up -d" starts). Its management API is found at RABBITMQ_MANAGEMENT_URL,
//     or at port 15672 of the same host with the same credentials.
//  2. A Docker engine answers: a RabbitMQ container started with
//     testcontainers-go's rabbitmq module, image RABBITMQ_IMAGE (default
//     the official image with the management plugin). The container's ports
//     are published on 127.0.0.1 at ports chosen once, so a restarted broker
//     comes back at the same address.
//  3. Neither: tests that need a broker are skipped with one line saying how
//     to get one, unless CI is set: then they fail, so a green CI means the
//     broker tests ran.
//
// In a test package:
//
//	func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }
//
//	func TestSomething(t *testing.T) {
//		url := broker.Get(t).NewVhost(t) // a fresh vhost, deleted afterwards
//		…
//	}
//
// On a machine where containers look like they run inside a container
// (testcontainers then guesses the wrong host) and no reaper image can be
// pulled, set TESTCONTAINERS_HOST_OVERRIDE=127.0.0.1 and
// TESTCONTAINERS_RYUK_DISABLED=true; .ci/run does.
package broker

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/testcontainers/testcontainers-go"
	"github.com/testcontainers/testcontainers-go/modules/rabbitmq"
)

// DefaultImage is the official image with the management UI; set
// RABBITMQ_IMAGE to use another (CI builds one from Debian packages).
const DefaultImage = "rabbitmq:3.13-management"

// HowTo is what a student without a broker is told.
const HowTo = "start Docker (RabbitMQ is then started in a container, RABBITMQ_IMAGE picks the image), " +
	"or run `docker compose up -d` and set AMQP_URL=amqp://guest:guest@127.0.0.1:5672/, " +
	"or point AMQP_URL at any RabbitMQ"

// ErrNoBroker means neither AMQP_URL nor a Docker engine is there.
var ErrNoBroker = errors.New("no RabbitMQ: AMQP_URL is not set and no Docker engine answers")

// A Broker is a RabbitMQ that tests may use and, when this package
// started it, stop and start again.
type Broker struct {
	amqpURL *url.URL // credentials and host; vhost "/"
	mgmtURL *url.URL // http://user:pass@host:port
	ctr     *rabbitmq.RabbitMQContainer
	version string
	// noMgmtHint says how to get the management plugin when it does not
	// answer: which image to use, or what to do on somebody else's broker.
	noMgmtHint string
}

// Hints for a management API that does not answer, by where the broker
// comes from.
const (
	hintImage = "RABBITMQ_IMAGE must include it (the official images tagged -management do)"
	hintURL   = "enable it on that broker (rabbitmq-plugins enable rabbitmq_management) " +
		"or set RABBITMQ_MANAGEMENT_URL to where it listens"
)

// Open finds or starts a broker as the package comment describes and
// waits until it accepts AMQP connections.
func Open(ctx context.Context) (*Broker, error) {
	if raw := os.Getenv("AMQP_URL"); raw != "" {
		return fromURL(ctx, raw)
	}
	if err := dockerHealthy(ctx); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoBroker, err)
	}
	return startContainer(ctx)
}

// fromURL uses a broker somebody else runs.
func fromURL(ctx context.Context, raw string) (*Broker, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return nil, fmt.Errorf("AMQP_URL: %w", err)
	}
	if _, err := amqp.ParseURI(raw); err != nil {
		return nil, fmt.Errorf("AMQP_URL: %w", err)
	}
	b := &Broker{amqpURL: u, noMgmtHint: hintURL}
	if m := os.Getenv("RABBITMQ_MANAGEMENT_URL"); m != "" {
		if b.mgmtURL, err = url.Parse(m); err != nil {
			return nil, fmt.Errorf("RABBITMQ_MANAGEMENT_URL: %w", err)
		}
	} else {
		b.mgmtURL = &url.URL{Scheme: "http", User: u.User, Host: net.JoinHostPort(u.Hostname(), "15672")}
	}
	if b.mgmtURL.User == nil {
		b.mgmtURL.User = u.User
	}
	if err := b.waitReady(ctx, 30*time.Second); err != nil {
		return nil, err
	}
	return b, nil
}

// dockerHealthy asks the Docker engine for a ping, briefly.
func dockerHealthy(ctx context.Context) error {
	p, err := testcontainers.NewDockerProvider()
	if err != nil {
		return err
	}
	defer p.Close()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return p.Health(ctx)
}

// startContainer runs RabbitMQ with its AMQP and management ports pinned
// to free ports on 127.0.0.1.
func startContainer(ctx context.Context) (*Broker, error) {
	image := os.Getenv("RABBITMQ_IMAGE")
	if image == "" {
		image = DefaultImage
	}
	amqpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	mgmtPort, err := freePort()
	if err != nil {
		return nil, err
	}
	pin := func(hc *container.HostConfig) {
		// An init process as PID 1 passes docker stop's SIGTERM on to the
		// broker; without it a shell wrapper as PID 1 ignores the signal and
		// every stop waits out Docker's 10 s grace period.
		useInit := true
		hc.Init = &useInit
		loopback := netip.MustParseAddr("127.0.0.1")
		hc.PortBindings = network.PortMap{
			network.MustParsePort("5672/tcp"):  {{HostIP: loopback, HostPort: strconv.Itoa(amqpPort)}},
			network.MustParsePort("15672/tcp"): {{HostIP: loopback, HostPort: strconv.Itoa(mgmtPort)}},
		}
	}
	ctr, err := rabbitmq.Run(ctx, image,
		rabbitmq.WithAdminUsername("guest"),
		rabbitmq.WithAdminPassword("guest"),
		testcontainers.WithHostConfigModifier(pin),
	)
	if err != nil {
		if ctr != nil {
			_ = ctr.Terminate(context.Background())
		}
		return nil, fmt.Errorf("start RabbitMQ container from %s: %w", image, err)
	}
	b := &Broker{
		amqpURL: &url.URL{Scheme: "amqp", User: url.UserPassword("guest", "guest"),
			Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(amqpPort)), Path: "/"},
		mgmtURL: &url.URL{Scheme: "http", User: url.UserPassword("guest", "guest"),
			Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(mgmtPort))},
		ctr:        ctr,
		noMgmtHint: hintImage,
	}
	if err := b.waitReady(ctx, 90*time.Second); err != nil {
		_ = ctr.Terminate(context.Background())
		return nil, err
	}
	fmt.Fprintf(os.Stderr, "broker: RabbitMQ %s started by testcontainers from %s at %s\n",
		b.version, image, b.amqpURL.Host)
	return b, nil
}

// freePort asks the kernel for a port nobody uses right now.
func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("find a free port: %w", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// waitReady dials AMQP until the broker accepts a connection, and
// remembers the version it announces.
func (b *Broker) waitReady(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var last error
	for time.Now().Before(deadline) {
		conn, err := amqp.DialConfig(b.URL(), amqp.Config{Dial: amqp.DefaultDial(5 * time.Second)})
		if err == nil {
			if v, ok := conn.Properties["version"].(string); ok {
				b.version = v
			}
			conn.Close()
			return nil
		}
		last = err
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
	return fmt.Errorf("RabbitMQ at %s not ready after %v: %w", b.amqpURL.Host, limit, last)
}

// URL is the AMQP URL of the default vhost, "/".
func (b *Broker) URL() string { return b.amqpURL.String() }

// VhostURL is the AMQP URL of the vhost called name.
func (b *Broker) VhostURL(name string) string {
	u := *b.amqpURL
	u.Path = "/" + name
	u.RawPath = "/" + url.PathEscape(name)
	return u.String()
}

// ManagementURL is the management UI/API base URL, credentials included.
func (b *Broker) ManagementURL() string { return b.mgmtURL.String() }

// Version is the RabbitMQ version the broker announced, if it did.
func (b *Broker) Version() string { return b.version }

// Managed reports whether this package started the broker, so that it
// can stop and start it.
func (b *Broker) Managed() bool { return b.ctr != nil }

// Close removes the container this package started; a broker from
// AMQP_URL is left alone.
func (b *Broker) Close(ctx context.Context) error {
	if b.ctr == nil {
		return nil
	}
	return b.ctr.Terminate(ctx)
}

// StopBroker stops the container; connections to it break.
func (b *Broker) StopBroker(ctx context.Context) error {
	if b.ctr == nil {
		return errors.New("the broker comes from AMQP_URL; only a broker the tests started can be stopped")
	}
	// A broker that is told to stop closes its connections with
	// CONNECTION_FORCED and writes its queues to disk, as a real restart
	// does. docker stop alone would kill it (the Debian image's PID 1 is
	// a shell wrapper), so ask RabbitMQ first; the container then exits
	// with it.
	// (Exit 137: rabbitmqctl itself was killed as the container stopped.)
	if code, _, err := b.ctr.Exec(ctx, []string{"rabbitmqctl", "shutdown"}); err != nil || (code != 0 && code != 137) {
		fmt.Fprintf(os.Stderr, "broker: rabbitmqctl shutdown (exit %d, %v); stopping the container instead\n", code, err)
	}
	timeout := 10 * time.Second
	if err := b.ctr.Stop(ctx, &timeout); err != nil {
		return fmt.Errorf("stop RabbitMQ container: %w", err)
	}
	return nil
}

// StartBroker starts a stopped container again, at the same address,
// and waits until it accepts connections.
func (b *Broker) StartBroker(ctx context.Context) error {
	if b.ctr == nil {
		return errors.New("the broker comes from AMQP_URL; only a broker the tests started can be started")
	}
	if err := b.ctr.Start(ctx); err != nil {
		return fmt.Errorf("start RabbitMQ container: %w", err)
	}
	return b.waitReady(ctx, 90*time.Second)
}

// sanitize makes a test name usable as a vhost name.
func sanitize(name string) string {
	var sb strings.Builder
	for _, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '-', r == '_', r == '.':
			sb.WriteRune(r)
		default:
			sb.WriteByte('_')
		}
	}
	s := sb.String()
	if len(s) > 60 {
		s = s[:60]
	}
	return s
}
