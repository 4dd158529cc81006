package exercises

import (
	"context"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

// CreateWatcher is an endpoint that wants the INFO notifications about
// creating instances, and only those: compute.instance.create.start and
// compute.instance.create.end, not compute.instance.delete.end nor
// image.create.end. The listener asks an endpoint that has a method
// FilterRule (filter.go) which notifications it takes, before calling
// it.
type CreateWatcher struct {
	// Seen records the event types the endpoint got, in order.
	Seen chan string
}

// Info records the event type.
func (w CreateWatcher) Info(ctx context.Context, publisherID, eventType string, payload any, md notify.Metadata) error {
	w.Seen <- eventType
	return nil
}
