// Package zabbix is a small imitation of the Zabbix API, the real-world
// JSON-RPC 2.0 service the article mentions. Zabbix serves it at
// `/api_jsonrpc.php`. A client first calls `user.login` with a user name
// and password and gets a session token; every other call carries that
// token in the request's `auth` member, which is not part of JSON-RPC:
//
//	{"jsonrpc": "2.0", "method": "host.get", "params": {}, "auth": "0424…", "id": 2}
//
// (Zabbix 6.4 and later prefer an `Authorization: Bearer` header; the
// `auth` member is the form the article's screenshot shows.)
package zabbix

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// `Path` is where Zabbix serves its API.
const Path = "/api_jsonrpc.php"

// Zabbix reports both a missing token and bad credentials as Invalid
// params, with the reason in `data`. We keep its exact texts.
var (
	// `ErrNotAuthorised` is the answer to a call without a valid token.
	ErrNotAuthorised = &jsonrpc.Error{
		Code: jsonrpc.CodeInvalidParams, Message: "Invalid params.", Data: "Not authorised.",
	}
	// `ErrBadLogin` is the answer to `user.login` with wrong credentials.
	ErrBadLogin = &jsonrpc.Error{
		Code: jsonrpc.CodeInvalidParams, Message: "Invalid params.",
		Data: "Incorrect user name or password or account is temporarily blocked.",
	}
)

// A `Host` is a monitored machine, as `host.get` returns it (Zabbix
// sends ids as strings).
type Host struct {
	HostID string `json:"hostid"`
	Host   string `json:"host"`
	Status string `json:"status"`
}

// A `HostGroup` is a named group of hosts.
type HostGroup struct {
	GroupID string `json:"groupid"`
	Name    string `json:"name"`
}

// `LoginParams` are `user.login`'s params, by name.
type LoginParams struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// A `Service` is the API: one account, some hosts, and the tokens it
// has handed out.
type Service struct {
	username, password string

	mu       sync.Mutex
	sessions map[string]bool
}

// `NewService` returns a service with one account. The credentials come
// from the caller (flags, environment), never from the code.
func NewService(username, password string) *Service {
	return &Service{username: username, password: password, sessions: map[string]bool{}}
}

// `public` lists the methods that work without a token.
var public = map[string]bool{"user.login": true, "apiinfo.version": true}

// `Server` builds the JSON-RPC server: the methods, plus a guard that
// checks the `auth` member of every call to a non-public method.
func (s *Service) Server() *jsonrpc.Server {
	srv := jsonrpc.NewServer()
	srv.Guard = s.guard
	for name, fn := range map[string]any{
		"apiinfo.version": func() string { return "6.0.0" },
		"user.login":      s.login,
		"user.logout":     s.logout,
		"host.get":        s.hosts,
		"hostgroup.get":   s.hostGroups,
	} {
		if err := srv.RegisterFunction(name, fn); err != nil {
			panic(err) // our own table: a programming error
		}
	}
	return srv
}

// `guard` lets public methods through and demands a known token for
// the rest. Zabbix answers a missing and a wrong token the same way.
func (s *Service) guard(_ context.Context, req *jsonrpc.Request) error {
	if public[req.Method] {
		return nil
	}
	var token string
	if req.Auth == nil || json.Unmarshal(req.Auth, &token) != nil || !s.valid(token) {
		return ErrNotAuthorised
	}
	return nil
}

func (s *Service) valid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[token]
}

// `login` takes its params by name (a struct) and answers with a new
// token: 32 hex digits from `crypto/rand`, like Zabbix's session ids.
func (s *Service) login(p LoginParams) (string, error) {
	// `subtle.ConstantTimeCompare` does not leak, through timing, how
	// much of a guess was right.
	userOK := subtle.ConstantTimeCompare([]byte(p.Username), []byte(s.username)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(p.Password), []byte(s.password)) == 1
	if !userOK || !passOK || s.password == "" {
		return "", ErrBadLogin
	}
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("new session: %w", err)
	}
	token := hex.EncodeToString(b)
	s.mu.Lock()
	s.sessions[token] = true
	s.mu.Unlock()
	return token, nil
}

// `logout` ends the session whose token the request carries.
func (s *Service) logout(ctx context.Context) bool {
	req, _ := jsonrpc.RequestFromContext(ctx)
	var token string
	_ = json.Unmarshal(req.Auth, &token) // the guard checked it
	s.mu.Lock()
	delete(s.sessions, token)
	s.mu.Unlock()
	return true
}

// `hosts` and `hostGroups` answer from a fixed inventory; the point is
// the token, not the monitoring.
func (s *Service) hosts(map[string]any) []Host {
	return []Host{
		{HostID: "10084", Host: "Zabbix server", Status: "0"},
		{HostID: "10105", Host: "web-01", Status: "0"},
		{HostID: "10106", Host: "db-01", Status: "1"},
	}
}

func (s *Service) hostGroups(map[string]any) []HostGroup {
	return []HostGroup{
		{GroupID: "2", Name: "Linux servers"},
		{GroupID: "4", Name: "Zabbix servers"},
	}
}
