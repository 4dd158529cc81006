// Endpoints are the objects a listener calls, one method per
// priority, named as in oslo (def info(self, ctxt, publisher_id,
// event_type, payload, metadata)). An endpoint implements only the
// priorities it wants; the listener binds queues for those alone.

package notify

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Metadata is oslo's metadata argument: the notification's
// message_id and timestamp, as sent.
type Metadata struct {
	MessageID string
	Timestamp string
}

// Map returns the metadata as oslo's dict, for filters and printing.
func (md Metadata) Map() map[string]any {
	return map[string]any{"message_id": md.MessageID, "timestamp": md.Timestamp}
}

// Time parses the timestamp (UTC).
func (md Metadata) Time() (time.Time, error) {
	return ParseTimestamp(md.Timestamp)
}

// ErrRequeue is what an endpoint method returns to ask for the
// notification to go back to its queue (oslo's
// NotificationResult.REQUEUE). Any other error means the same, as
// an exception does in oslo, and is logged. The listener requeues
// only with [ListenerConfig.AllowRequeue]; otherwise it acknowledges.
var ErrRequeue = errors.New("requeue the notification")

// The per-priority method sets. ctx carries the request context
// ([RequestContextFrom]); payload is the decoded JSON (a
// map[string]any for a dict, as in Python).

// AuditHandler handles AUDIT notifications.
type AuditHandler interface {
	Audit(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// DebugHandler handles DEBUG notifications.
type DebugHandler interface {
	Debug(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// InfoHandler handles INFO notifications.
type InfoHandler interface {
	Info(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// WarnHandler handles WARN notifications.
type WarnHandler interface {
	Warn(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// ErrorHandler handles ERROR notifications.
type ErrorHandler interface {
	Error(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// CriticalHandler handles CRITICAL notifications.
type CriticalHandler interface {
	Critical(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// SampleHandler handles SAMPLE notifications.
type SampleHandler interface {
	Sample(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error
}

// FilteredEndpoint is an endpoint with a filter (oslo's
// filter_rule attribute).
type FilteredEndpoint interface {
	FilterRule() *Filter
}

// handlerFunc is one endpoint method, whatever its priority.
type handlerFunc func(ctx context.Context, publisherID, eventType string, payload any, md Metadata) error

// callback is one (filter, method) pair for a priority, in the
// order of the endpoints: oslo's _callbacks_by_priority.
type callback struct {
	filter *Filter
	call   handlerFunc
}

// methodFor returns the endpoint's method for a priority, if any.
func methodFor(endpoint any, p Priority) (handlerFunc, bool) {
	switch p {
	case PriorityAudit:
		if h, ok := endpoint.(AuditHandler); ok {
			return h.Audit, true
		}
	case PriorityDebug:
		if h, ok := endpoint.(DebugHandler); ok {
			return h.Debug, true
		}
	case PriorityInfo:
		if h, ok := endpoint.(InfoHandler); ok {
			return h.Info, true
		}
	case PriorityWarn:
		if h, ok := endpoint.(WarnHandler); ok {
			return h.Warn, true
		}
	case PriorityError:
		if h, ok := endpoint.(ErrorHandler); ok {
			return h.Error, true
		}
	case PriorityCritical:
		if h, ok := endpoint.(CriticalHandler); ok {
			return h.Critical, true
		}
	case PrioritySample:
		if h, ok := endpoint.(SampleHandler); ok {
			return h.Sample, true
		}
	}
	return nil, false
}

// callbacksByPriority indexes the endpoints' methods by priority.
func callbacksByPriority(endpoints []any) (map[Priority][]callback, error) {
	out := make(map[Priority][]callback)
	for i, e := range endpoints {
		var filter *Filter
		if fe, ok := e.(FilteredEndpoint); ok {
			filter = fe.FilterRule()
		}
		found := false
		for _, p := range Priorities {
			if m, ok := methodFor(e, p); ok {
				out[p] = append(out[p], callback{filter: filter, call: m})
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("endpoint %d (%T) has no priority method (Info, Error, …)", i, e)
		}
	}
	return out, nil
}

// safeCall runs an endpoint method; a panic becomes an error, as an
// exception does in oslo, so one bad event cannot kill the listener.
func safeCall(cb callback, ctx context.Context, publisherID, eventType string, payload any, md Metadata) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("endpoint panicked: %v", r)
		}
	}()
	return cb.call(ctx, publisherID, eventType, payload, md)
}
