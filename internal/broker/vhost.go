package broker

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"time"
)

// A fresh vhost is the cheapest way to keep tests apart: queues, exchanges
// and bindings live inside a vhost, so two tests that both declare exchange
// `openstack` and queue `test` (as oslo.messaging does) never see each
// other's messages. The management HTTP API creates one in milliseconds.

// `CreateVhost` creates vhost `name` (a random suffix is added), lets the
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

// `DeleteVhost` deletes a vhost and everything in it.
func (b *Broker) DeleteVhost(ctx context.Context, vhost string) error {
	if err := b.mgmt(ctx, http.MethodDelete, "/api/vhosts/"+url.PathEscape(vhost), nil); err != nil {
		return fmt.Errorf("delete vhost %s: %w", vhost, err)
	}
	return nil
}

// `mgmt` makes one management API request with the broker's credentials.
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
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	return nil
}
