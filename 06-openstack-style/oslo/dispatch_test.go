package oslo_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// remote asserts err is a *RemoteError of class/module whose message
// contains msg, and returns it.
func remote(t *testing.T, err error, class, module, msg string) *oslo.RemoteError {
	t.Helper()
	var re *oslo.RemoteError
	if !errors.As(err, &re) {
		t.Fatalf("err = %v, want *RemoteError %s", err, class)
	}
	if re.Class != class || re.Module != module || !strings.Contains(re.Message, msg) {
		t.Errorf("remote error = %s.%s %q, want %s.%s containing %q", re.Module, re.Class, re.Message, module, class, msg)
	}
	return re
}

// Namespace and version decide which endpoints qualify; the answers are
// oslo's NoSuchMethod and UnsupportedVersion.
func TestDispatcherNamespaceAndVersion(t *testing.T) {
	e := newEnv(t)
	ctl := &control{}
	e.server("server01", []any{ctl, &recorder{name: "server01"}, versioned{}}, oslo.ServerOptions{})
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	ctx := t.Context()
	const dispatcher = "oslo_messaging.rpc.dispatcher"

	for _, tc := range []struct {
		name      string
		prepare   oslo.Prepare
		method    string
		class     string // "" means success
		messageIn string
	}{
		{"default namespace, no version (1.0)", oslo.Prepare{}, "whoami", "", ""},
		{"1.0 asked explicitly", oslo.Prepare{Version: "1.0"}, "whoami", "", ""},
		{"newer minor than any 1.x endpoint", oslo.Prepare{Version: "1.1"}, "whoami", "UnsupportedVersion",
			"Endpoint does not support RPC version 1.1. Attempted method: whoami"},
		{"2.3 endpoint serves 2.0", oslo.Prepare{Version: "2.0"}, "newer", "", ""},
		{"2.3 endpoint serves 2.3", oslo.Prepare{Version: "2.3"}, "newer", "", ""},
		{"2.4 is too new", oslo.Prepare{Version: "2.4"}, "newer", "UnsupportedVersion", "RPC version 2.4"},
		{"2.0 qualifies the 2.3 endpoint, which lacks test (the article's client)", oslo.Prepare{Version: "2.0"}, "whoami",
			"NoSuchMethod", "Endpoint does not support RPC method whoami"},
		{"control namespace", oslo.Prepare{Namespace: "control", Version: "2.0"}, "stop", "", ""},
		{"control namespace, default version 1.0", oslo.Prepare{Namespace: "control"}, "stop", "UnsupportedVersion", "RPC version 1.0"},
		{"unknown namespace", oslo.Prepare{Namespace: "nova"}, "whoami", "UnsupportedVersion", "Attempted method: whoami"},
		{"missing method", oslo.Prepare{}, "reboot", "NoSuchMethod", "RPC method reboot"},
		{"underscore methods are never callable", oslo.Prepare{}, "_whoami", "NoSuchMethod", "RPC method _whoami"},
		{"Target() is not an RPC method", oslo.Prepare{Namespace: "control", Version: "2.0"}, "target", "NoSuchMethod", "RPC method target"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := c.Prepare(tc.prepare).Call(ctx, tc.method, nil, nil)
			if tc.class == "" {
				if err != nil {
					t.Fatalf("err = %v", err)
				}
				return
			}
			remote(t, err, tc.class, dispatcher, tc.messageIn)
			if !oslo.IsRemote(err, tc.class) {
				t.Errorf("IsRemote(err, %q) = false", tc.class)
			}
		})
	}
	if ctl.stopped != 1 {
		t.Errorf("control.stop ran %d times, want 1", ctl.stopped)
	}
}

// Whatever an endpoint fails with reaches the caller as a typed remote
// error with the failure's fields; so do arguments that do not fit.
func TestRemoteFailuresReachTheCallerWithTheirFields(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{failing{}}, oslo.ServerOptions{})
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	ctx := t.Context()

	re := remote(t, c.Call(ctx, "value", nil, nil), "ValueError", "builtins", "x must be positive")
	if len(re.Traceback) == 0 || len(re.Args) != 1 || re.Args[0] != "x must be positive" {
		t.Errorf("failure fields: tb=%q args=%v", re.Traceback, re.Args)
	}
	remote(t, c.Call(ctx, "plain", nil, nil), "errorString", "errors", "plain Go error")
	remote(t, c.Call(ctx, "custom", nil, nil), "customError",
		"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo_test", "custom failure")
	remote(t, c.Call(ctx, "boom", nil, nil), "panic", "runtime", "boom() panicked")
	remote(t, c.Call(ctx, "unserializable", nil, nil), "TypeError", "builtins", "not JSON serializable")

	// Keyword arguments that do not fit the method: Python's TypeErrors.
	remote(t, c.Call(ctx, "sum", oslo.Args{"x": 1}, nil), "TypeError", "builtins",
		"sum() missing 1 required keyword argument: 'y'")
	remote(t, c.Call(ctx, "sum", oslo.Args{"x": 1, "y": 2, "z": 3}, nil), "TypeError", "builtins",
		"sum() got an unexpected keyword argument 'z'")
	remote(t, c.Call(ctx, "sum", oslo.Args{"x": "one", "y": 2}, nil), "TypeError", "builtins",
		"argument 'x' must be int")
	remote(t, c.Call(ctx, "value", oslo.Args{"extra": true}, nil), "TypeError", "builtins",
		"value() got an unexpected keyword argument 'extra'")

	// And the server is still there: optional arguments may be left out.
	var sum int
	if err := c.Call(ctx, "sum", oslo.Args{"x": 1, "y": 2}, &sum); err != nil || sum != 3 {
		t.Errorf("sum(x=1, y=2) = %d, %v", sum, err)
	}
}

// The request context travels as _context_* fields: as a dict with the
// default serializer, as a typed struct with UserContextSerializer.
func TestSerializersCarryTheRequestContext(t *testing.T) {
	e := newEnv(t)
	e.server("plain", []any{whoCalls{}}, oslo.ServerOptions{})
	typedTarget := oslo.Target{Topic: "typed", Server: "typed1"}
	e.serverOn(e.transport(), typedTarget, []any{whoCalls{}}, oslo.ServerOptions{Serializer: oslo.UserContextSerializer{}})
	ctx := t.Context()

	plain := e.client(oslo.ClientOptions{Timeout: 10 * time.Second})
	var dict map[string]any
	pctx := oslo.WithRequestContext(ctx, oslo.RequestContext{"user": "u1", "project_id": "p1"})
	if err := plain.Call(pctx, "user", nil, &dict); err != nil {
		t.Fatal(err)
	}
	if dict["user"] != "u1" || dict["project_id"] != "p1" {
		t.Errorf("server saw context %v", dict)
	}

	typed := oslo.NewRPCClient(e.transport(), typedTarget, oslo.ClientOptions{
		Timeout: 10 * time.Second, Serializer: oslo.UserContextSerializer{}})
	defer typed.Close()
	var uc oslo.UserContext
	tctx := oslo.WithUserContext(ctx, &oslo.UserContext{UserID: "u2", ProjectID: "p2", IsAdmin: true, Roles: []string{"admin"}})
	if err := typed.Call(tctx, "user", nil, &uc); err != nil {
		t.Fatal(err)
	}
	if uc.UserID != "u2" || uc.ProjectID != "p2" || !uc.IsAdmin || len(uc.Roles) != 1 {
		t.Errorf("server saw typed context %+v", uc)
	}
}

// upper is a serializer that changes entities, to show both sides apply
// it: arguments are upper-cased when sent, results lower-cased on arrival.
type upper struct{ oslo.JSONSerializer }

func (upper) SerializeEntity(_ context.Context, v any) (any, error) {
	if s, ok := v.(string); ok {
		return strings.ToUpper(s), nil
	}
	return v, nil
}

func (upper) DeserializeEntity(_ context.Context, v any) (any, error) {
	if s, ok := v.(string); ok {
		return s + "!", nil
	}
	return v, nil
}

func TestSerializerEntitiesOnBothSides(t *testing.T) {
	e := newEnv(t)
	e.server("server01", []any{&recorder{}}, oslo.ServerOptions{Serializer: upper{}})
	c := e.client(oslo.ClientOptions{Timeout: 10 * time.Second, Serializer: upper{}})
	var got string
	if err := c.Call(t.Context(), "test", oslo.Args{"arg": "hi"}, &got); err != nil {
		t.Fatal(err)
	}
	// client: HI → server: HI! → result HI! serialized: HI! → client: HI!!
	if got != "HI!!" {
		t.Errorf("got %q, want HI!! (serialize on send, deserialize on receive, both sides)", got)
	}
}
