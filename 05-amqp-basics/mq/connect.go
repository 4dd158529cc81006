// Connecting: one TCP connection to the broker, many channels inside it.
//
// The article's pika demo builds the connection from a host name and
// hard-coded credentials. Here everything comes from one URL,
// AMQP_URL, as "amqp://user:password@host:port/vhost", and connecting
// has a deadline, so a broker that is down or silent gives an error
// instead of a hang.

package mq

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// DefaultURL matches the broker of "docker compose up -d": user and
// password "guest", default vhost "/", on this machine only.
const DefaultURL = "amqp://guest:guest@127.0.0.1:5672/"

// DefaultDialTimeout bounds the TCP connect plus the AMQP handshake.
const DefaultDialTimeout = 5 * time.Second

// URLFromEnv returns AMQP_URL, or [DefaultURL] when it is unset.
// Programs use it as the default of their "-url" flag.
func URLFromEnv() string {
	if u := os.Getenv("AMQP_URL"); u != "" {
		return u
	}
	return DefaultURL
}

// DialError says which step of connecting failed, so a student (and
// a test, with [errors.As]) can tell "no broker there" from "wrong
// password". URL never contains the password.
type DialError struct {
	Step string // "parse AMQP_URL", "connect to", "handshake with", "log in to", "open vhost on"
	URL  string // the URL with its password replaced by "xxxxx"
	Err  error  // the cause: *url.Error, *net.OpError, *amqp.Error, …
}

func (e *DialError) Error() string {
	if e.URL == "" {
		return fmt.Sprintf("amqp: %s: %v", e.Step, e.Err)
	}
	return fmt.Sprintf("amqp: %s %s: %v", e.Step, e.URL, e.Err)
}

func (e *DialError) Unwrap() error { return e.Err }

// DialOptions tunes [Dial]. The zero value is fine.
type DialOptions struct {
	// Timeout bounds TCP connect and handshake (default 5 s).
	Timeout time.Duration
	// Name is shown in the management UI's Connections tab.
	Name string
	// Recovery, when set, turns on amqp091-go's own reconnection
	// (see recovery.go).
	Recovery *amqp.Recovery

	// onDialError hears of every failed TCP dial (recovery.go logs
	// the library's reconnect attempts with it).
	onDialError func(error)
}

// Dial connects to the broker at rawURL. It checks the URL first
// (a malformed one is rejected with the parser's reason), then dials
// with a deadline taken from opts.Timeout and ctx.
func Dial(ctx context.Context, rawURL string, opts DialOptions) (*amqp.Connection, error) {
	if _, err := amqp.ParseURI(rawURL); err != nil {
		// The parser quotes the URL, password included; scrub it.
		return nil, &DialError{Step: "parse AMQP_URL", URL: redact(rawURL), Err: scrubPassword(rawURL, err)}
	}
	timeout := opts.Timeout
	if timeout <= 0 {
		timeout = DefaultDialTimeout
	}

	// The library's Config.Dial hook gives us the raw socket. We
	// dial with the caller's context and remember the first read
	// error, so a broker that accepts TCP but never answers is
	// reported as a handshake timeout rather than a login failure.
	rec := &socketRecorder{onDialError: opts.onDialError}
	cfg := amqp.Config{
		Properties: amqp.NewConnectionProperties(),
		Recovery:   opts.Recovery,
		Dial:       rec.dialer(ctx, timeout),
	}
	if opts.Name != "" {
		cfg.Properties.SetClientConnectionName(opts.Name)
	}

	conn, err := amqp.DialConfig(rawURL, cfg)
	if err != nil {
		return nil, &DialError{Step: rec.step(err), URL: redact(rawURL), Err: rec.cause(err)}
	}
	return conn, nil
}

// socketRecorder watches the sockets [Dial] opens.
type socketRecorder struct {
	onDialError func(error)

	mu        sync.Mutex
	connected bool
	readErr   error
}

func (r *socketRecorder) dialer(ctx context.Context, timeout time.Duration) func(string, string) (net.Conn, error) {
	return func(network, addr string) (net.Conn, error) {
		d := net.Dialer{Timeout: timeout}
		c, err := d.DialContext(ctx, network, addr)
		if err != nil {
			if r.onDialError != nil {
				r.onDialError(err)
			}
			return nil, err
		}
		// The handshake gets the same budget as the connect. The
		// library clears this deadline once the handshake is done.
		if err := c.SetDeadline(time.Now().Add(timeout)); err != nil {
			c.Close()
			return nil, err
		}
		r.mu.Lock()
		r.connected, r.readErr = true, nil
		r.mu.Unlock()
		return &recordingConn{Conn: c, r: r}, nil
	}
}

// step names the step that failed, from what the socket saw.
func (r *socketRecorder) step(err error) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var amqpErr *amqp.Error
	switch {
	case !r.connected:
		return "connect to"
	case errors.As(err, &amqpErr) && amqpErr.Code == amqp.AccessRefused:
		// A wrong user or password: RabbitMQ answers 403, or just
		// hangs up, which the library reports as [amqp.ErrCredentials].
		return "log in to"
	case errors.As(err, &amqpErr) && amqpErr.Server && amqpErr.Code == amqp.NotAllowed:
		// … and an unknown or forbidden vhost with 530.
		return "open vhost on"
	default:
		return "handshake with"
	}
}

// cause prefers a socket timeout over the library's guess.
func (r *socketRecorder) cause(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	var ne net.Error
	if errors.As(r.readErr, &ne) && ne.Timeout() {
		return fmt.Errorf("no AMQP answer before the deadline: %w", r.readErr)
	}
	return err
}

type recordingConn struct {
	net.Conn
	r *socketRecorder
}

func (c *recordingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	if err != nil {
		c.r.mu.Lock()
		if c.r.readErr == nil {
			c.r.readErr = err
		}
		c.r.mu.Unlock()
	}
	return n, err
}

// redact hides the password; an unparsable URL is not echoed at all,
// since we cannot tell where its password is.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return ""
	}
	return u.Redacted()
}

// scrubPassword returns err's text with the password of raw
// replaced, found the simple way: between the first ":" after "//" and
// the last "@" before the path.
func scrubPassword(raw string, err error) error {
	msg := err.Error()
	rest := raw
	if i := strings.Index(rest, "//"); i >= 0 {
		rest = rest[i+2:]
	}
	if i := strings.Index(rest, "/"); i >= 0 {
		rest = rest[:i]
	}
	at := strings.LastIndex(rest, "@")
	if at < 0 {
		return errors.New(msg)
	}
	if _, pw, ok := strings.Cut(rest[:at], ":"); ok && pw != "" {
		msg = strings.ReplaceAll(msg, pw, "xxxxx")
	}
	return errors.New(msg)
}
