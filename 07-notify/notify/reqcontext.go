// oslo passes a request context (ctxt) beside every notification:
// who asked (user, project), the request id, roles. On the wire each
// entry becomes a top-level key _context_<key> of the message.
// Python dicts keep their order, so ours is a list of fields, not a
// map: the keys go out in the order you gave them.

package notify

import "context"

// Field is one entry of a [RequestContext].
type Field struct {
	Key   string
	Value any
}

// RequestContext is oslo's request context, in order.
type RequestContext []Field

// Get returns the value stored under key.
func (rc RequestContext) Get(key string) (any, bool) {
	for _, f := range rc {
		if f.Key == key {
			return f.Value, true
		}
	}
	return nil, false
}

// Map returns the context as a map, handy for printing.
func (rc RequestContext) Map() map[string]any {
	m := make(map[string]any, len(rc))
	for _, f := range rc {
		m[f.Key] = f.Value
	}
	return m
}

// safeContextKeys are the only keys oslo's notifier lets through
// (_sanitize_context): a token must never reach the notification
// bus, where any listener can read it.
var safeContextKeys = map[string]bool{
	"user_id": true, "project_id": true, "domain_id": true,
	"user_domain_id": true, "project_domain_id": true,
	"is_admin": true, "request_id": true, "roles": true,
	"user_name": true, "project_name": true, "domain_name": true,
	"user_domain_name": true, "project_domain_name": true,
	"service_user_id": true, "service_user_domain_id": true,
	"service_user_domain_name": true, "service_project_id": true,
	"service_project_name": true, "service_project_domain_id": true,
	"service_project_domain_name": true, "service_roles": true,
	"global_request_id": true, "system_scope": true,
	"user": true, "domain": true, "user_domain": true,
	"project_domain": true,
}

// sanitized drops every key oslo's notifier would drop.
func (rc RequestContext) sanitized() RequestContext {
	var out RequestContext
	for _, f := range rc {
		if safeContextKeys[f.Key] {
			out = append(out, f)
		}
	}
	return out
}

// requestContextKey keys the request context in a context.Context.
type requestContextKey struct{}

// WithRequestContext returns a copy of ctx carrying rc; a
// [Notifier] sends it with the notification.
func WithRequestContext(ctx context.Context, rc RequestContext) context.Context {
	return context.WithValue(ctx, requestContextKey{}, rc)
}

// RequestContextFrom returns the request context stored in ctx:
// the one the notifier sent, inside an endpoint method.
func RequestContextFrom(ctx context.Context) RequestContext {
	rc, _ := ctx.Value(requestContextKey{}).(RequestContext)
	return rc
}
