package mq

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/url"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// A Dialer connects to the first node of a cluster that answers. A client
// that knows only one address is as mortal as that node; given every node's
// address it moves to a survivor by itself. The retries are bounded, so a
// cluster that is gone for good ends in an error rather than a client that
// waits forever, and every failed attempt is logged, so an operator sees a
// failover happen.
type Dialer struct {
	// URLs are the nodes' AMQP URLs, tried in this order in every round.
	URLs []string
	// Rounds is how many times the whole list is tried (default 30).
	Rounds int
	// Wait is the pause between two rounds (default 1 s).
	Wait time.Duration
	// Name says who dials, in the log lines (publisher, consumer).
	Name string
	// Logf logs each failed attempt (default log.Printf).
	Logf func(format string, args ...any)
}

// Dial returns a connection to the first node that accepts one, and that
// node's URL.
func (d *Dialer) Dial(ctx context.Context) (*amqp.Connection, string, error) {
	if len(d.URLs) == 0 {
		return nil, "", errors.New("dial: no AMQP URLs")
	}
	rounds, wait := d.Rounds, d.Wait
	if rounds <= 0 {
		rounds = 30
	}
	if wait <= 0 {
		wait = time.Second
	}
	var last error
	for round := 1; round <= rounds; round++ {
		for _, u := range d.URLs {
			conn, err := amqp.DialConfig(u, amqp.Config{
				Dial:      amqp.DefaultDial(5 * time.Second),
				Heartbeat: 5 * time.Second, // a silent node is noticed in seconds
			})
			if err == nil {
				return conn, u, nil
			}
			last = err
			d.logf("%s: dial %s (round %d/%d): %v", d.Name, Host(u), round, rounds, err)
		}
		select {
		case <-ctx.Done():
			return nil, "", ctx.Err()
		case <-time.After(wait):
		}
	}
	return nil, "", fmt.Errorf("%s: no node answered after %d rounds: %w", d.Name, rounds, last)
}

func (d *Dialer) logf(format string, args ...any) {
	if d.Logf != nil {
		d.Logf(format, args...)
		return
	}
	log.Printf(format, args...)
}

// Host is the host:port of an AMQP URL, for log lines without passwords.
func Host(amqpURL string) string {
	u, err := url.Parse(amqpURL)
	if err != nil {
		return "?"
	}
	return u.Host
}
