package zabbix

import (
	"errors"
	"log"
	"net"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

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

// clock is a time that moves only when the test says so.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// login logs in as Admin and returns the token.
func login(t *testing.T, c *jsonrpc.Client) string {
	t.Helper()
	var token string
	if err := c.Call(t.Context(), "user.login", LoginParams{"Admin", "s3cret"}, &token); err != nil {
		t.Fatal(err)
	}
	return token
}

// A token lives for SessionTTL after its last use: each call starts
// the time again, and a token left unused longer is refused and
// forgotten. The clock is the test's, so nobody sleeps.
func TestTokenExpiresWhenUnusedForSessionTTL(t *testing.T) {
	clk := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	svc := NewService("Admin", "s3cret")
	svc.Now = clk.Now
	c := start(t, svc)
	authed := c.WithAuth(login(t, c))
	var hosts []Host

	for range 3 { // 3 × 10 minutes: more than the TTL, but never idle that long
		clk.advance(10 * time.Minute)
		if err := authed.Call(t.Context(), "host.get", map[string]any{}, &hosts); err != nil {
			t.Fatalf("after 10 idle minutes: %v", err)
		}
	}
	clk.advance(DefaultSessionTTL + time.Second)
	assertNotAuthorised(t, authed.Call(t.Context(), "host.get", map[string]any{}, &hosts))
	if n := svc.Sessions(); n != 0 {
		t.Errorf("%d sessions after expiry, want 0", n)
	}
}

// One password holder logging in again and again cannot grow the
// session table past MaxSessions: each login beyond it ends the least
// recently used session, whose token is then refused.
func TestManyLoginsKeepTheSessionTableBounded(t *testing.T) {
	clk := &clock{now: time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)}
	svc := NewService("Admin", "s3cret")
	svc.Now, svc.MaxSessions = clk.Now, 10
	var logged strings.Builder
	svc.ErrorLog = log.New(&logged, "", 0)
	c := start(t, svc)

	var tokens []string
	for range 50 {
		clk.advance(time.Second) // so that "least recently used" is well defined
		tokens = append(tokens, login(t, c))
	}
	if n := svc.Sessions(); n != 10 {
		t.Errorf("%d sessions after 50 logins, want 10", n)
	}
	var hosts []Host
	assertNotAuthorised(t, c.WithAuth(tokens[0]).Call(t.Context(), "host.get", map[string]any{}, &hosts))
	if err := c.WithAuth(tokens[49]).Call(t.Context(), "host.get", map[string]any{}, &hosts); err != nil {
		t.Errorf("newest token: %v", err)
	}
	if n := strings.Count(logged.String(), "\n"); n != 40 {
		t.Errorf("%d log lines, want one per ended session (40):\n%s", n, logged.String())
	}

	// Expired sessions make room first: nobody active is ended for them.
	clk.advance(DefaultSessionTTL + time.Second)
	login(t, c)
	if n := svc.Sessions(); n != 1 {
		t.Errorf("%d sessions after the others expired, want 1", n)
	}
}
