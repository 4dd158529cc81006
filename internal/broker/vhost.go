package broker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"syscall"
	"time"
)

// A fresh vhost is the cheapest way to keep tests apart: queues, exchanges
// and bindings live inside a vhost, so two tests that both declare exchange
// openstack and queue test (as oslo.messaging does) never see each
// other's messages. The management HTTP API creates one in milliseconds.

// CreateVhost creates vhost name (a random suffix is added), lets the
// broker's user do everything in it, and returns its name and AMQP URL.
func (b *Broker) CreateVhost(ctx context.Context, name string) (vhost, amqpURL string, err error) {
	suffix := make([]byte, 4)
	_, _ = rand.Read(suffix)
	vhost = sanitize(name) + "-" + hex.EncodeToString(suffix)
	if err := b.mgmt(ctx, http.MethodPut, "/api/vhosts/"+url.PathEscape(vhost), nil); err != nil {
		return "", "", fmt.Errorf("create vhost %s: %w", vhost, err)
	}
	user := b.amqpURL.User.Username()
	perms := []byte(`{"configure":".*","write":".*","read":".*"}`)
	path := "/api/permissions/" + url.PathEscape(vhost) + "/" + url.PathEscape(user)
	if err := b.mgmt(ctx, http.MethodPut, path, perms); err != nil {
		return "", "", fmt.Errorf("grant %s on vhost %s: %w", user, vhost, err)
	}
	return vhost, b.VhostURL(vhost), nil
}

// DeleteVhost deletes a vhost and everything in it.
func (b *Broker) DeleteVhost(ctx context.Context, vhost string) error {
	if err := b.mgmt(ctx, http.MethodDelete, "/api/vhosts/"+url.PathEscape(vhost), nil); err != nil {
		return fmt.Errorf("delete vhost %s: %w", vhost, err)
	}
	return nil
}

// ErrNoManagement means nothing answers HTTP at the management API's
// address: the broker runs without the management plugin, so vhosts
// cannot be created.
var ErrNoManagement = errors.New("the management plugin is not reachable")

// notListening tells a port where nothing listens from other failures.
// Without the plugin nothing listens on port 15672 inside the container;
// the port Docker publishes still accepts, then resets the connection or
// closes it at once. On a plain host the connection is refused.
func notListening(err error) bool {
	return errors.Is(err, syscall.ECONNRESET) || errors.Is(err, syscall.ECONNREFUSED) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// mgmt makes one management API request with the broker's credentials.
func (b *Broker) mgmt(ctx context.Context, method, path string, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	u := *b.mgmtURL
	u.User = nil
	u.Path = path
	u.RawPath = path
	req, err := http.NewRequestWithContext(ctx, method, u.String(), bytes.NewReader(body))
	if err != nil {
		return err
	}
	pass, _ := b.mgmtURL.User.Password()
	req.SetBasicAuth(b.mgmtURL.User.Username(), pass)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		if notListening(err) {
			return fmt.Errorf("%w at %s (%w); %s", ErrNoManagement, u.Host, err, b.noMgmtHint)
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
