// A publisher owns one AMQP channel used only for publishing (amqp091-go:
// don't publish and consume on one channel), under a lock so many
// goroutines can share it. After any error the channel is thrown away and
// the next publish opens a new one (and dials again if needed).

package oslo

import (
	"context"
	"fmt"
	"sync"

	amqp "github.com/rabbitmq/amqp091-go"
)

type publisher struct {
	t *Transport

	mu       sync.Mutex
	ch       *amqp.Channel
	declared map[string]bool // exchanges declared on ch
}

func newPublisher(t *Transport) *publisher { return &publisher{t: t} }

// publish declares the exchange (once per channel, as oslo does, so a
// message to an exchange nobody declared yet is not a channel error) and
// publishes msg.
func (p *publisher) publish(ctx context.Context, ex exchangeSpec, key string, msg amqp.Publishing) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ch == nil || p.ch.IsClosed() {
		ch, err := p.t.channel(sending)
		if err != nil {
			return err
		}
		p.ch, p.declared = ch, map[string]bool{}
	}
	if ex.name != "" && !p.declared[ex.name] {
		if err := ex.declare(p.ch); err != nil {
			p.resetLocked()
			return err
		}
		p.declared[ex.name] = true
	}
	if err := p.ch.PublishWithContext(ctx, ex.name, key,
		false, // mandatory
		false, // immediate
		msg); err != nil {
		p.resetLocked()
		return fmt.Errorf("publish to exchange %q key %q: %w", ex.name, key, err)
	}
	return nil
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
