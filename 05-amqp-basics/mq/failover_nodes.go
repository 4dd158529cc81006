package mq

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"time"
)

// Nodes kills and starts the nodes of a cluster by their Erlang names
// (rabbit@rmq2). The tests pass the harness's cluster; the failover program
// passes [DockerNodes] for the cluster docker compose starts.
type Nodes interface {
	Kill(ctx context.Context, node string) error
	Start(ctx context.Context, node string) error
}

// DockerNodes kills and starts the containers of docker-compose.yml's
// cluster profile with the docker command: node rabbit@rmq2 runs in
// container Prefix + "rmq2".
type DockerNodes struct {
	Prefix string // default "rpc-course-"
}

func (d DockerNodes) container(node string) string {
	prefix := d.Prefix
	if prefix == "" {
		prefix = "rpc-course-"
	}
	_, host, _ := strings.Cut(node, "@")
	return prefix + host
}

// Kill sends SIGKILL: the node gets no chance to say goodbye.
func (d DockerNodes) Kill(ctx context.Context, node string) error {
	return docker(ctx, "kill", "--signal", "KILL", d.container(node))
}

// Start starts the node's container again and waits (two minutes at
// most) until the broker in it runs.
func (d DockerNodes) Start(ctx context.Context, node string) error {
	if err := docker(ctx, "start", d.container(node)); err != nil {
		return err
	}
	var err error
	for range 120 {
		if err = docker(ctx, "exec", d.container(node), "rabbitmq-diagnostics", "-q", "check_running"); err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return fmt.Errorf("%s started but not running: %w", node, err)
}

func docker(ctx context.Context, args ...string) error {
	out, err := exec.CommandContext(ctx, "docker", args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("docker %s: %w: %s", strings.Join(args, " "), err, strings.TrimSpace(string(out)))
	}
	return nil
}

// QueueNode asks the management API at mgmtURL (credentials included)
// where a queue lives: a classic queue's node, or a quorum queue's leader.
func QueueNode(ctx context.Context, mgmtURL, vhost, queue string) (string, error) {
	base, err := url.Parse(mgmtURL)
	if err != nil {
		return "", fmt.Errorf("management URL: %w", err)
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	u := *base
	u.User = nil
	u.Path = "/api/queues/" + vhost + "/" + queue
	u.RawPath = "/api/queues/" + url.PathEscape(vhost) + "/" + url.PathEscape(queue)
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	pass, _ := base.User.Password()
	req.SetBasicAuth(base.User.Username(), pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return "", fmt.Errorf("where is queue %s: %w", queue, err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("where is queue %s: %s", queue, resp.Status)
	}
	var q struct {
		Node   string `json:"node"`
		Leader string `json:"leader"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&q); err != nil {
		return "", fmt.Errorf("where is queue %s: %w", queue, err)
	}
	if q.Leader != "" {
		return q.Leader, nil
	}
	return q.Node, nil
}
