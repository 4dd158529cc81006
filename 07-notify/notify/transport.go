// oslo configures the broker with a transport_url, e.g.
// rabbit://user:pass@host:5672/vhost; amqp091 wants an amqp://
// URL. The two differ only in the scheme and in oslo's list of
// fail-over hosts, of which this course uses the first.

package notify

import (
	"fmt"
	"net/url"
	"strings"

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
// transport_url.
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

// redact hides the password in a URL before it goes into an error.
func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable url)"
	}
	return u.Redacted()
}
