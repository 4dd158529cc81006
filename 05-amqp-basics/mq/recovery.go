// Recovery: a receiver that outlives a broker restart.
//
// The pinned amqp091-go (v1.16.0) can recover a connection itself:
// give [amqp.Config.Recovery] and, when the socket dies, the library
// redials every RetryInterval (plus up to 0.5 s of random jitter) at
// most MaxRetryCount times, reopens the channels, redeclares the
// queues, exchanges and bindings it saw, and re-subscribes consumers.
// The delivery channel of Channel.Consume stays open throughout, so a
// consumer loop needs no change. So we write no reconnect loop of our
// own; we only bound it and log what happens.
//
// The wait is bounded: at most MaxAttempts × (Interval + 0.5 s + the
// dial timeout), after which the connection closes for good and
// Consume returns. The interval does not grow between attempts.

package mq

import (
	"context"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// RecoveryOptions bound the library's reconnect loop.
type RecoveryOptions struct {
	Interval    time.Duration // pause before each attempt (default 1 s)
	MaxAttempts int           // attempts before giving up (default 60)
	// Logf receives one line per event: connection lost, attempt
	// failed, reconnected, gave up. Default: discard.
	Logf func(format string, args ...any)
}

// DialRecovering is [Dial] with the library's recovery turned on and
// a goroutine that logs its progress through opts.Logf.
func DialRecovering(ctx context.Context, rawURL string, dial DialOptions, opts RecoveryOptions) (*amqp.Connection, error) {
	if opts.Interval <= 0 {
		opts.Interval = time.Second
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 60
	}
	dial.Recovery = &amqp.Recovery{
		ReconnectionConfig: &amqp.ReconnectionConfig{
			MaxRetryCount: opts.MaxAttempts,
			RetryInterval: opts.Interval,
		},
	}
	// o hears of every failed dial, including the library's own
	// reconnect attempts, which report nothing else.
	o := &outage{logf: opts.Logf}
	dial.onDialError = o.dialFailed
	conn, err := Dial(ctx, rawURL, dial)
	if err != nil {
		return nil, err
	}

	// Both notification channels are buffered and drained until the
	// library closes them, so recovery never waits on us.
	closes := conn.NotifyClose(make(chan *amqp.Error, 1))
	states := make(chan *amqp.StateChanged, 8)
	conn.NotifyStateChange(states)
	go watchRecovery(redact(rawURL), opts, o, closes, states)
	return conn, nil
}

// outage is the state the log lines are made from.
type outage struct {
	logf     func(string, ...any)
	mu       sync.Mutex
	down     bool
	since    time.Time
	attempts int
}

// dialFailed runs on the library's reconnect goroutine.
func (o *outage) dialFailed(err error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.down {
		o.attempts++
		logf(o.logf, "reconnect attempt %d failed: %v", o.attempts, err)
	}
}

// watchRecovery turns the library's notifications into one log line
// per event: lost, each failed attempt, back, or given up.
func watchRecovery(where string, opts RecoveryOptions, o *outage, closes chan *amqp.Error, states chan *amqp.StateChanged) {
	for closes != nil || states != nil {
		select {
		case e, ok := <-closes:
			if !ok {
				closes = nil
				continue
			}
			if e == nil {
				continue
			}
			o.mu.Lock()
			if !o.down {
				// The first close: the broker went away.
				o.down, o.since, o.attempts = true, time.Now(), 0
				logf(opts.Logf, "connection lost: %v; reconnecting every %s, at most %d attempts",
					e, opts.Interval, opts.MaxAttempts)
			} else {
				// A later one: an attempt reached the port but the
				// broker was not ready and hung up.
				o.attempts++
				logf(opts.Logf, "reconnect attempt %d failed: %v", o.attempts, e)
			}
			o.mu.Unlock()
		case s, ok := <-states:
			if !ok {
				states = nil
				continue
			}
			o.mu.Lock()
			switch {
			case s.From == amqp.StateReconnecting && s.To == amqp.StateOpen:
				logf(opts.Logf, "reconnected to %s after %s", where, time.Since(o.since).Round(100*time.Millisecond))
				o.down = false
			case s.To == amqp.StateClosed && s.Err != nil:
				logf(opts.Logf, "gave up reconnecting: %v", s.Err)
			}
			o.mu.Unlock()
		}
	}
}

// DescribeRecovery is the one-line promise a program prints at start.
func DescribeRecovery(opts RecoveryOptions) string {
	return fmt.Sprintf("recovery on: retry every %s, at most %d attempts", opts.Interval, opts.MaxAttempts)
}
