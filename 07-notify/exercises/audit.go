//go:build !solutions

package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// Error records an ERROR notification in the trail.
//
// Your code here. Write the user_id of the request context the
// notification carries ([notify.RequestContextFrom], then Get), not
// "someone". Then give Auditor a second method so that it hears
// CRITICAL notifications too: the listener calls an endpoint only for
// the priorities it has a method for (see [notify.CriticalHandler]).
func (a Auditor) Error(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	a.Trail <- "someone " + eventType
	return nil
}
