//go:build solutions

package exercises

import (
	"context"
	"fmt"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// Error records an ERROR notification in the trail.
func (a Auditor) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	a.record(ctx, eventType)
	return nil
}

// Critical records a CRITICAL notification in the trail.
func (a Auditor) Critical(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	a.record(ctx, eventType)
	return nil
}

// record writes who caused the event, and the event type.
func (a Auditor) record(ctx context.Context, eventType string) {
	user, _ := notify.RequestContextFrom(ctx).Get("user_id")
	a.Trail <- fmt.Sprintf("%v %s", user, eventType)
}
