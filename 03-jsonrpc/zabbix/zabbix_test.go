package zabbix

import (
	"errors"
	"net"
	"net/http"
	"reflect"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// start serves svc the way the server program does and returns a
// client for it.
func start(t *testing.T, svc *Service) *jsonrpc.Client {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(Path, svc.Server())
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &jsonrpc.HTTPServer{Handler: mux}
	go srv.Serve(ln)
	t.Cleanup(func() { srv.Close() })
	return jsonrpc.NewClient("http://"+ln.Addr().String()+Path, nil)
}

func assertNotAuthorised(t *testing.T, err error) {
	t.Helper()
	var e *jsonrpc.Error
	if !errors.As(err, &e) || e.Code != jsonrpc.CodeInvalidParams || e.Data != "Not authorised." {
		t.Errorf("got %v, want Zabbix's Not authorised.", err)
	}
}

func TestLoginGivesATokenThatLaterCallsCarry(t *testing.T) {
	c := start(t, NewService("Admin", "s3cret"))
	var hosts []Host

	// Without a token: the clear Zabbix error, for every protected method.
	for _, m := range []string{"host.get", "hostgroup.get", "user.logout"} {
		assertNotAuthorised(t, c.Call(t.Context(), m, map[string]any{}, &hosts))
	}
	// A made-up token is no better.
	assertNotAuthorised(t, c.WithAuth("0123456789abcdef0123456789abcdef").
		Call(t.Context(), "host.get", map[string]any{}, &hosts))

	// Public methods need none.
	var version string
	if err := c.Call(t.Context(), "apiinfo.version", nil, &version); err != nil {
		t.Fatal(err)
	}

	var token string
	if err := c.Call(t.Context(), "user.login", LoginParams{"Admin", "s3cret"}, &token); err != nil {
		t.Fatal(err)
	}
	if len(token) != 32 {
		t.Errorf("token %q, want 32 hex digits", token)
	}
	authed := c.WithAuth(token)
	if err := authed.Call(t.Context(), "host.get", map[string]any{}, &hosts); err != nil {
		t.Fatal(err)
	}
	if len(hosts) != 3 || hosts[0].Host != "Zabbix server" {
		t.Errorf("hosts %+v", hosts)
	}
	var groups []HostGroup
	if err := authed.Call(t.Context(), "hostgroup.get", nil, &groups); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(groups[0], HostGroup{"2", "Linux servers"}) {
		t.Errorf("groups %+v", groups)
	}

	// After logout the token is dead.
	var ok bool
	if err := authed.Call(t.Context(), "user.logout", nil, &ok); err != nil || !ok {
		t.Fatalf("logout: %v %v", ok, err)
	}
	assertNotAuthorised(t, authed.Call(t.Context(), "host.get", map[string]any{}, &hosts))
}

func TestBadLoginsAreRefused(t *testing.T) {
	c := start(t, NewService("Admin", "s3cret"))
	var token string
	for _, p := range []any{
		LoginParams{"Admin", "wrong"},
		LoginParams{"admin", "s3cret"},
		map[string]string{"username": "Admin"},
	} {
		err := c.Call(t.Context(), "user.login", p, &token)
		var e *jsonrpc.Error
		if !errors.As(err, &e) || e.Code != jsonrpc.CodeInvalidParams {
			t.Errorf("login %v: %v", p, err)
		}
	}
	// A misspelt param name is refused, not ignored.
	err := c.Call(t.Context(), "user.login", map[string]string{"user": "Admin", "password": "s3cret"}, &token)
	if err == nil {
		t.Error("login with unknown param name: accepted")
	}
	// With no password configured, nobody gets in.
	empty := start(t, NewService("Admin", ""))
	if err := empty.Call(t.Context(), "user.login", LoginParams{"Admin", ""}, &token); err == nil {
		t.Error("empty password: logged in")
	}
}
