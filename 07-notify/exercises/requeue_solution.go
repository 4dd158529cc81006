//go:build solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// Error handles an ERROR notification: the first try asks for it back,
// the second succeeds.
func (e *RetryOnce) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	if e.try(md.MessageID) == 1 {
		return notify.ErrRequeue
	}
	return nil
}

// ListenerConfig lets the endpoints requeue what they cannot handle.
func ListenerConfig(endpoints ...any) notify.ListenerConfig {
	return notify.ListenerConfig{Endpoints: endpoints, AllowRequeue: true}
}
