//go:build !solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// Error handles an ERROR notification. It cannot the first time it
// sees one (count it with e.try(md.MessageID)), and must then ask for
// the notification to come back, rather than lose it; the second time
// it succeeds.
//
// Your code here. Return [notify.ErrRequeue] on the first try and nil
// afterwards.
func (e *RetryOnce) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	e.try(md.MessageID)
	return nil
}

// ListenerConfig is the configuration the test gives its listener, with
// endpoints.
//
// Your code here. Without one setting, the listener acks every
// notification whatever its endpoint returned (oslo's default): find it
// in [notify.ListenerConfig].
func ListenerConfig(endpoints ...any) notify.ListenerConfig {
	return notify.ListenerConfig{Endpoints: endpoints}
}
