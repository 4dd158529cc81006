// A publisher owns one AMQP channel used only for publishing (amqp091-go:
// don't publish and consume on one channel), under a lock so many
// goroutines can share it. After any error the channel is thrown away and
// the next publish opens a new one (and dials again if needed).
//
// The channel is in confirm mode, as oslo.messaging's (kombu's
// confirm_publish): a publish returns only once the broker has taken
// the message, and for a quorum queue that means a majority of the
// cluster's nodes hold it. If the connection dies first, or the broker
// refuses the message, the publisher sends it again, through another
// node if the old one is gone, until the context ends. That is oslo's
// ensure() around every publish. A message sent twice this way keeps its
// _unique_id, so the server drops the copy.

package oslo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

type publisher struct {
	t *Transport

	mu       sync.Mutex
	ch       *amqp.Channel
	declared map[string]bool // exchanges declared on ch
}

func newPublisher(t *Transport) *publisher { return &publisher{t: t} }

// errNacked is a publish the broker did not take (a negative
// confirmation, or the channel closed before the confirmation came).
var errNacked = errors.New("the broker did not confirm the message")

// publish sends msg and waits for the broker's confirmation, sending it
// again after an error that another connection may cure. The first
// retry is at once (the dial goes to the next host); later ones wait
// RetryInterval, doubling up to MaxRetryInterval.
func (p *publisher) publish(ctx context.Context, ex exchangeSpec, key string, msg amqp.Publishing) error {
	delay := p.t.opts.RetryInterval
	for attempt := 1; ; attempt++ {
		err := p.publishOnce(ctx, ex, key, msg)
		if err == nil {
			if attempt > 1 {
				p.t.log.Info("published after a retry", "exchange", ex.name, "key", key, "attempts", attempt)
			}
			return nil
		}
		if !retryable(err) || ctx.Err() != nil {
			return err
		}
		p.t.log.Warn("publish failed; sending again", "exchange", ex.name, "key", key, "attempt", attempt, "err", err)
		if attempt == 1 {
			continue
		}
		timer := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("%w (last error: %w)", ctx.Err(), err)
		case <-p.t.closing:
			timer.Stop()
			return ErrTransportClosed
		case <-timer.C:
		}
		delay = min(2*delay, p.t.opts.MaxRetryInterval)
	}
}

// retryable says whether a publish error may go away on a new channel or
// connection. A refusal of the declaration or of access (406, 403, 404,
// 530) would only come again; so would a closed transport.
func retryable(err error) bool {
	if errors.Is(err, ErrTransportClosed) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var ae *amqp.Error
	if errors.As(err, &ae) {
		switch ae.Code {
		case amqp.PreconditionFailed, amqp.AccessRefused, amqp.NotFound, amqp.NotAllowed:
			return false
		}
	}
	return true
}

// publishOnce publishes on the current channel (opening one in confirm
// mode if needed), declaring the exchange once per channel as oslo does
// (so a message to an exchange nobody declared yet is not a channel
// error), and waits for the confirmation outside the lock, so that other
// goroutines' messages go out meanwhile.
func (p *publisher) publishOnce(ctx context.Context, ex exchangeSpec, key string, msg amqp.Publishing) error {
	ch, confirm, err := p.send(ctx, ex, key, msg)
	if err != nil {
		return err
	}
	acked, err := confirm.WaitContext(ctx)
	if err != nil {
		return fmt.Errorf("publish to exchange %q key %q: waiting for the confirmation: %w", ex.name, key, err)
	}
	if !acked {
		p.mu.Lock()
		if p.ch == ch {
			p.resetLocked()
		}
		p.mu.Unlock()
		return fmt.Errorf("publish to exchange %q key %q: %w", ex.name, key, errNacked)
	}
	return nil
}

// send hands the message to the channel and returns its confirmation.
func (p *publisher) send(ctx context.Context, ex exchangeSpec, key string, msg amqp.Publishing) (*amqp.Channel, *amqp.DeferredConfirmation, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil || p.ch.IsClosed() {
		ch, err := p.t.channel(sending)
		if err != nil {
			return nil, nil, err
		}
		if err := ch.Confirm(false); err != nil {
			_ = ch.Close()
			return nil, nil, fmt.Errorf("confirm mode: %w", err)
		}
		p.ch, p.declared = ch, map[string]bool{}
	}
	if ex.name != "" && !p.declared[ex.name] {
		if err := ex.declare(p.ch); err != nil {
			p.resetLocked()
			return nil, nil, err
		}
		p.declared[ex.name] = true
	}
	confirm, err := p.ch.PublishWithDeferredConfirmWithContext(ctx, ex.name, key,
		false, // mandatory
		false, // immediate
		msg)
	if err != nil {
		p.resetLocked()
		return nil, nil, fmt.Errorf("publish to exchange %q key %q: %w", ex.name, key, err)
	}
	return p.ch, confirm, nil
}

func (p *publisher) resetLocked() {
	if p.ch != nil {
		_ = p.ch.Close()
	}
	p.ch, p.declared = nil, nil
}

func (p *publisher) close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.resetLocked()
}
