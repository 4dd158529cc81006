// The API itself: its errors, its methods and the sessions behind
// the auth tokens.

package zabbix

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log"
	"sync"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
)

// Path is where Zabbix serves its API.
const Path = "/api_jsonrpc.php"

// Zabbix reports both a missing token and bad credentials as Invalid
// params, with the reason in data. We keep its exact texts.
var (
	// ErrNotAuthorised is the answer to a call without a valid token.
	ErrNotAuthorised = &jsonrpc.Error{
		Code: jsonrpc.CodeInvalidParams, Message: "Invalid params.", Data: "Not authorised.",
	}
	// ErrBadLogin is the answer to user.login with wrong credentials.
	ErrBadLogin = &jsonrpc.Error{
		Code: jsonrpc.CodeInvalidParams, Message: "Invalid params.",
		Data: "Incorrect user name or password or account is temporarily blocked.",
	}
)

// A Host is a monitored machine, as host.get returns it (Zabbix
// sends ids as strings).
type Host struct {
	HostID string `json:"hostid"`
	Host   string `json:"host"`
	Status string `json:"status"`
}

// A HostGroup is a named group of hosts.
type HostGroup struct {
	GroupID string `json:"groupid"`
	Name    string `json:"name"`
}

// LoginParams are user.login's params, by name.
type LoginParams struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// The defaults for a [Service]'s sessions.
const (
	// DefaultSessionTTL is how long a token stays valid after its last
	// use: Zabbix logs a user out after 15 minutes of silence.
	DefaultSessionTTL = 15 * time.Minute
	// DefaultMaxSessions caps the tokens alive at once. Every login adds
	// one, so without a cap one password holder could grow the table
	// without bound.
	DefaultMaxSessions = 1000
)

// A Service is the API: one account, some hosts, and the tokens it has
// handed out. Set the fields before serving.
type Service struct {
	// SessionTTL is how long a token stays valid after its last use;
	// every call that carries it starts the time again. Zero means
	// [DefaultSessionTTL].
	SessionTTL time.Duration
	// MaxSessions caps the tokens alive at once. A login beyond it ends
	// the session that was used least recently (its token is then
	// refused like an expired one). Zero means [DefaultMaxSessions].
	MaxSessions int
	// Now tells the time; nil means [time.Now]. Tests set it to move
	// time forward without sleeping.
	Now func() time.Time
	// ErrorLog receives a line when a login ends another session to
	// stay within MaxSessions; nil means the log package's standard
	// logger.
	ErrorLog *log.Logger

	username, password string

	mu       sync.Mutex
	sessions map[string]time.Time // token → last use
}

// NewService returns a service with one account. The credentials come
// from the caller (flags, environment), never from the code.
func NewService(username, password string) *Service {
	return &Service{username: username, password: password, sessions: map[string]time.Time{}}
}

// public lists the methods that work without a token.
var public = map[string]bool{"user.login": true, "apiinfo.version": true}

// Server builds the JSON-RPC server: the methods, plus a guard that
// checks the auth member of every call to a non-public method.
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

// guard lets public methods through and demands a known token for
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

// valid says whether token names a live session, and starts its time
// again if so. An expired token is forgotten on the spot.
func (s *Service) valid(token string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	last, ok := s.sessions[token]
	if !ok {
		return false
	}
	now := s.now()
	if now.Sub(last) > s.ttl() {
		delete(s.sessions, token)
		return false
	}
	s.sessions[token] = now
	return true
}

// addSession stores a new token. When the table is full, expired
// sessions go first; if none has expired, the least recently used one
// makes room.
func (s *Service) addSession(token string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.sessions == nil {
		s.sessions = map[string]time.Time{}
	}
	now := s.now()
	if len(s.sessions) >= orDefault(s.MaxSessions, DefaultMaxSessions) {
		oldest, oldestUse := "", now
		for t, last := range s.sessions {
			if now.Sub(last) > s.ttl() {
				delete(s.sessions, t)
			} else if !last.After(oldestUse) {
				oldest, oldestUse = t, last
			}
		}
		if len(s.sessions) >= orDefault(s.MaxSessions, DefaultMaxSessions) {
			delete(s.sessions, oldest)
			s.logf("zabbix: %d sessions, the most allowed: a login ended the one unused since %s",
				len(s.sessions)+1, oldestUse.Format(time.RFC3339))
		}
	}
	s.sessions[token] = now
}

// Sessions is the number of tokens alive, expired ones not yet swept
// included.
func (s *Service) Sessions() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.sessions)
}

func (s *Service) logf(format string, args ...any) {
	if s.ErrorLog != nil {
		s.ErrorLog.Printf(format, args...)
		return
	}
	log.Printf(format, args...)
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Service) ttl() time.Duration { return orDefault(s.SessionTTL, DefaultSessionTTL) }

// orDefault is v, or def when v is the zero value.
func orDefault[T comparable](v, def T) T {
	var zero T
	if v == zero {
		return def
	}
	return v
}

// login takes its params by name (a struct) and answers with a new
// token: 32 hex digits from crypto/rand, like Zabbix's session ids.
func (s *Service) login(p LoginParams) (string, error) {
	// subtle.ConstantTimeCompare does not leak, through timing, how
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
	s.addSession(token)
	return token, nil
}

// logout ends the session whose token the request carries.
func (s *Service) logout(ctx context.Context) bool {
	req, _ := jsonrpc.RequestFromContext(ctx)
	var token string
	_ = json.Unmarshal(req.Auth, &token) // the guard checked it
	s.mu.Lock()
	delete(s.sessions, token)
	s.mu.Unlock()
	return true
}

// hosts and hostGroups answer from a fixed inventory; the point is
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
