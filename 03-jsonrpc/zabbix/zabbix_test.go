package zabbix

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

func start(t *testing.T, pass string) *jsonrpc.Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(Path, NewService("Admin", pass).Server())
	srv, err := jsonrpc.Listen("127.0.0.1:0", mux, jsonrpc.Timeouts{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	return jsonrpc.NewClient(srv.URL()+Path, nil)
}

func ctx(t *testing.T) context.Context {
	c, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	t.Cleanup(cancel)
	return c
}

func assertNotAuthorised(t *testing.T, err error) {
	t.Helper()
	var e *jsonrpc.Error
	if !errors.As(err, &e) || e.Code != jsonrpc.CodeInvalidParams || e.Data != "Not authorised." {
		t.Errorf("got %v, want Zabbix's Not authorised.", err)
	}
}

func TestLoginThenAuth(t *testing.T) {
	c := start(t, "s3cret")
	var hosts []Host

	// Without a token: the clear Zabbix error, for every protected method.
	for _, m := range []string{"host.get", "hostgroup.get", "user.logout"} {
		assertNotAuthorised(t, c.Call(ctx(t), m, map[string]any{}, &hosts))
	}
	// A made-up token is no better.
	assertNotAuthorised(t, c.WithAuth("0123456789abcdef0123456789abcdef").
		Call(ctx(t), "host.get", map[string]any{}, &hosts))

	// Public methods need none.
	var version string
	if err := c.Call(ctx(t), "apiinfo.version", nil, &version); err != nil {
		t.Fatal(err)
	}

	var token string
	if err := c.Call(ctx(t), "user.login", LoginParams{"Admin", "s3cret"}, &token); err != nil {
		t.Fatal(err)
	}
	if len(token) != 32 {
		t.Errorf("token %q, want 32 hex digits", token)
	}
	authed := c.WithAuth(token)
	if err := authed.Call(ctx(t), "host.get", map[string]any{}, &hosts); err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 3 || hosts[0].Host != "Zabbix server" {
		t.Errorf("hosts %+v", hosts)
	}
	var groups []HostGroup
	if err := authed.Call(ctx(t), "hostgroup.get", nil, &groups); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(groups[0], HostGroup{"2", "Linux servers"}) {
		t.Errorf("groups %+v", groups)
	}

	// After logout the token is dead.
	var ok bool
	if err := authed.Call(ctx(t), "user.logout", nil, &ok); err != nil || !ok {
		t.Fatalf("logout: %v %v", ok, err)
	}
	assertNotAuthorised(t, authed.Call(ctx(t), "host.get", map[string]any{}, &hosts))
}

func TestBadLogins(t *testing.T) {
	c := start(t, "s3cret")
	var token string
	for _, p := range []any{
		LoginParams{"Admin", "wrong"},
		LoginParams{"admin", "s3cret"},
		map[string]string{"username": "Admin"},
	} {
		err := c.Call(ctx(t), "user.login", p, &token)
		var e *jsonrpc.Error
		if !errors.As(err, &e) || e.Code != jsonrpc.CodeInvalidParams {
			t.Errorf("login %v: %v", p, err)
		}
	}
	// A misspelt param name is refused, not ignored.
	err := c.Call(ctx(t), "user.login", map[string]string{"user": "Admin", "password": "s3cret"}, &token)
	if err == nil {
		t.Error("login with unknown param name: accepted")
	}
	// With no password configured, nobody gets in.
	empty := start(t, "")
	if err := empty.Call(ctx(t), "user.login", LoginParams{"Admin", ""}, &token); err == nil {
		t.Error("empty password: logged in")
	}
}
