// The article's "Serializer": the four methods that turn a request context
// and each argument or result into what JSON can carry, and back. Both
// sides apply them: a client serializes its context and arguments, a
// server deserializes them before calling the endpoint and serializes the
// result; the client deserializes the result.
//
// In Go the request context rides in the context.Context of the call:
// SerializeContext takes it out into the flat dict that travels as
// _context_<key> fields; DeserializeContext puts it back in.

package oslo

import (
	"context"
	"encoding/json"
	"maps"
)

// Serializer has oslo's four methods.
type Serializer interface {
	// SerializeEntity turns one argument or result into a value
	// encoding/json can write.
	SerializeEntity(ctx context.Context, entity any) (any, error)
	// DeserializeEntity turns a JSON value (maps, slices, strings,
	// json.Number, bools, nil) back into what the receiver wants.
	DeserializeEntity(ctx context.Context, entity any) (any, error)
	// SerializeContext extracts the request context from ctx as a dict.
	SerializeContext(ctx context.Context) (map[string]any, error)
	// DeserializeContext returns ctx carrying the request context.
	DeserializeContext(ctx context.Context, dict map[string]any) (context.Context, error)
}

// RequestContext is the request context as oslo sends it: a dict such
// as {"user": "u1", "project_id": "p1", "request_id": "req-…"}.
type RequestContext map[string]any

type requestContextKey struct{}

// WithRequestContext returns ctx carrying rc; a client sends it with
// every message.
func WithRequestContext(ctx context.Context, rc RequestContext) context.Context {
	return context.WithValue(ctx, requestContextKey{}, rc)
}

// RequestContextFrom returns the request context ctx carries (nil if
// none). An endpoint method reads the caller's context with it.
func RequestContextFrom(ctx context.Context) RequestContext {
	rc, _ := ctx.Value(requestContextKey{}).(RequestContext)
	return rc
}

// JSONSerializer is the default: entities pass unchanged (encoding/json
// does the work) and the context is a [RequestContext] dict.
type JSONSerializer struct{}

func (JSONSerializer) SerializeEntity(_ context.Context, entity any) (any, error) {
	return entity, nil
}

func (JSONSerializer) DeserializeEntity(_ context.Context, entity any) (any, error) {
	return entity, nil
}

func (JSONSerializer) SerializeContext(ctx context.Context) (map[string]any, error) {
	return maps.Clone(RequestContextFrom(ctx)), nil
}

func (JSONSerializer) DeserializeContext(ctx context.Context, dict map[string]any) (context.Context, error) {
	return WithRequestContext(ctx, RequestContext(dict)), nil
}

// UserContext is a typed request context: the fields OpenStack's
// oslo.context RequestContext sends most often.
type UserContext struct {
	UserID    string   `json:"user_id,omitempty"`
	ProjectID string   `json:"project_id,omitempty"`
	RequestID string   `json:"request_id,omitempty"`
	IsAdmin   bool     `json:"is_admin"`
	Roles     []string `json:"roles,omitempty"`
}

type userContextKey struct{}

// WithUserContext returns ctx carrying uc.
func WithUserContext(ctx context.Context, uc *UserContext) context.Context {
	return context.WithValue(ctx, userContextKey{}, uc)
}

// UserContextFrom returns the typed context ctx carries (nil if none).
func UserContextFrom(ctx context.Context) *UserContext {
	uc, _ := ctx.Value(userContextKey{}).(*UserContext)
	return uc
}

// UserContextSerializer is the example of a serializer with a typed
// context: a client puts a *UserContext in ctx, the server's endpoint
// gets a *UserContext back, and in between it travels as
// _context_user_id, _context_project_id, … like oslo.context's.
// Entities are left to the embedded [JSONSerializer].
type UserContextSerializer struct{ JSONSerializer }

func (UserContextSerializer) SerializeContext(ctx context.Context) (map[string]any, error) {
	uc := UserContextFrom(ctx)
	if uc == nil {
		return nil, nil
	}
	data, err := json.Marshal(uc)
	if err != nil {
		return nil, err
	}
	var dict map[string]any
	err = json.Unmarshal(data, &dict)
	return dict, err
}

func (UserContextSerializer) DeserializeContext(ctx context.Context, dict map[string]any) (context.Context, error) {
	data, err := json.Marshal(dict)
	if err != nil {
		return nil, err
	}
	// Unknown keys (oslo.context sends many more) are ignored.
	var uc UserContext
	if err := json.Unmarshal(data, &uc); err != nil {
		return nil, err
	}
	return WithUserContext(ctx, &uc), nil
}
