// oslo configures the broker with a transport_url, e.g.
// rabbit://user:pass@host:5672/vhost; amqp091 wants an amqp://
// URL. The two differ only in the scheme and in oslo's list of
// fail-over hosts, of which this course uses the first.

package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strings"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// AMQPURL turns an oslo transport_url into an amqp091 URL. An
// amqp:// or amqps:// URL is returned unchanged.
func AMQPURL(transportURL string) (string, error) {
	scheme, rest, ok := strings.Cut(transportURL, "://")
	if !ok {
		return "", fmt.Errorf("transport url %q has no scheme", redact(transportURL))
	}
	switch scheme {
	case "amqp", "amqps":
		return transportURL, nil
	case "rabbit", "kombu":
	default:
		return "", fmt.Errorf("transport url scheme %q: want rabbit:// or amqp://", scheme)
	}
	// rabbit://u:p@h1:5672,u:p@h2:5672/vhost: keep the first host.
	authority, path, _ := strings.Cut(rest, "/")
	first, _, _ := strings.Cut(authority, ",")
	// oslo reads "/" and "//" as vhost "/"; amqp091 wants "/".
	if path == "/" {
		path = ""
	}
	u, err := url.Parse("amqp://" + first + "/" + path)
	if err != nil {
		return "", fmt.Errorf("parse transport url: %w", err)
	}
	return u.String(), nil
}

// Dial connects to the broker named by an amqp:// URL or an oslo
// transport_url, once; a [Dialer] retries.
func Dial(transportURL string) (*amqp.Connection, error) {
	amqpURL, err := AMQPURL(transportURL)
	if err != nil {
		return nil, err
	}
	conn, err := amqp.Dial(amqpURL)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", redact(amqpURL), err)
	}
	return conn, nil
}

// ErrBrokerUnreachable is wrapped by the error of a [Dialer] that
// gave up.
var ErrBrokerUnreachable = errors.New("notify: broker unreachable")

// Dialer connects to the broker and, like oslo.messaging, keeps trying
// while it refuses or resets connections (a RabbitMQ that is still
// starting does). Each failed attempt is logged with its error and the
// delay before the next; the delay starts at RetryInterval and doubles
// up to MaxRetryInterval. The zero value has oslo's defaults.
type Dialer struct {
	// RetryInterval is the first delay (oslo's rabbit_retry_interval,
	// default 1 s).
	RetryInterval time.Duration
	// MaxRetryInterval caps the delay (oslo's rabbit_interval_max,
	// default 30 s).
	MaxRetryInterval time.Duration
	// Attempts is how many times to try before giving up with an error
	// that wraps [ErrBrokerUnreachable] (default 10). 1 means no retry.
	Attempts int
	// Logger receives one line per failed attempt; default
	// slog.Default().
	Logger *slog.Logger
}

// DialContext connects to the broker named by an amqp:// URL or an oslo
// transport_url, retrying as the [Dialer] says until ctx ends.
func (d Dialer) DialContext(ctx context.Context, transportURL string) (*amqp.Connection, error) {
	if d.RetryInterval <= 0 {
		d.RetryInterval = time.Second
	}
	if d.MaxRetryInterval <= 0 {
		d.MaxRetryInterval = 30 * time.Second
	}
	if d.Attempts <= 0 {
		d.Attempts = 10
	}
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if _, err := AMQPURL(transportURL); err != nil {
		return nil, err // a bad URL does not get better with time
	}
	start := time.Now()
	delay := d.RetryInterval
	for attempt := 1; ; attempt++ {
		conn, err := Dial(transportURL)
		if err == nil {
			if attempt > 1 {
				d.Logger.Info("connected to the broker", "attempt", attempt)
			}
			return conn, nil
		}
		if attempt >= d.Attempts {
			d.Logger.Error("giving up on the broker", "attempts", attempt, "err", err)
			return nil, fmt.Errorf("%w after %d attempts in %v: %w",
				ErrBrokerUnreachable, attempt, time.Since(start).Round(time.Millisecond), err)
		}
		d.Logger.Warn("cannot connect to the broker; retrying",
			"attempt", attempt, "of", d.Attempts, "err", err, "retry_in", delay)
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return nil, ctx.Err()
		case <-timer.C:
		}
		delay = min(2*delay, d.MaxRetryInterval)
	}
}

// redact hides the password in a URL before it goes into an error.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}
