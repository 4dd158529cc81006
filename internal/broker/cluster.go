package broker

import (
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/moby/moby/api/types/container"
	"github.com/moby/moby/api/types/network"
	"github.com/moby/moby/client"
	"github.com/testcontainers/testcontainers-go"
	tcnetwork "github.com/testcontainers/testcontainers-go/network"
)

// A cluster is what lesson 05 needs to show a broker that dies: three
// RabbitMQ nodes on one Docker network, each started by testcontainers with
// the image RABBITMQ_IMAGE, each reachable from the host on 127.0.0.1 at
// ports chosen once (so a node that is killed and started again comes back
// at the same address).
//
// The nodes find each other the way docker-compose.yml's cluster profile
// does: node i is rabbit@rmqi (its hostname, also its alias on the
// network), and a config file lists all of them (peer discovery from
// config). The file is the repository's rabbitmq/cluster/rabbitmq.conf,
// embedded here so that tests in any directory copy the same text in.

// clusterConf is rabbitmq/cluster/rabbitmq.conf, kept identical by
// TestClusterConfigMatchesComposeFile.
//
//go:embed cluster.conf
var clusterConf string

// clusterCookie is the Erlang cookie every node of a test or class cluster
// shares: nodes that know the same cookie may talk to each other. It is a
// fixed value because these clusters only ever run on a student's machine.
const clusterCookie = "rpc-course-local-class-cluster"

// nodeScript writes the cookie where the broker looks for it, owned by the
// rabbitmq user, and then runs the broker.
const nodeScript = `printf %s "$RABBITMQ_COOKIE" > /var/lib/rabbitmq/.erlang.cookie &&
chown rabbitmq:rabbitmq /var/lib/rabbitmq/.erlang.cookie &&
chmod 400 /var/lib/rabbitmq/.erlang.cookie &&
exec rabbitmq-server`

// A Cluster is a RabbitMQ cluster this package started, with nodes that
// tests may kill and start again.
type Cluster struct {
	Nodes []*Node
	// ContainerPrefix names the nodes' Docker containers: node rabbit@rmq2
	// runs in container ContainerPrefix + "rmq2", as in docker-compose.yml
	// (prefix rpc-course-), so that a program that kills nodes with the
	// docker command finds them. Each cluster has a prefix of its own.
	ContainerPrefix string
	net             *testcontainers.DockerNetwork
	docker          *testcontainers.DockerClient
}

// A Node is one member of a [Cluster].
type Node struct {
	Name    string // the Erlang node name, for example rabbit@rmq1
	amqpURL *url.URL
	mgmtURL *url.URL
	ctr     *testcontainers.DockerContainer
}

// URL is the AMQP URL of the node's default vhost.
func (n *Node) URL() string { return n.amqpURL.String() }

// ManagementURL is the node's management API base URL, credentials included.
func (n *Node) ManagementURL() string { return n.mgmtURL.String() }

// StartCluster starts n nodes on a new Docker network and waits until every
// node runs and all of them form one cluster.
func StartCluster(ctx context.Context, n int) (*Cluster, error) {
	if err := dockerHealthy(ctx); err != nil {
		return nil, fmt.Errorf("%w (%v)", ErrNoBroker, err)
	}
	docker, err := testcontainers.NewDockerClientWithOpts(ctx)
	if err != nil {
		return nil, fmt.Errorf("docker client: %w", err)
	}
	nw, err := tcnetwork.New(ctx)
	if err != nil {
		docker.Close()
		return nil, fmt.Errorf("create network: %w", err)
	}
	c := &Cluster{net: nw, docker: docker, Nodes: make([]*Node, n), ContainerPrefix: containerPrefix()}
	// The nodes start together: peer discovery lets the later ones join the
	// first one that runs.
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { c.Nodes[i], errs[i] = startNode(ctx, nw, c.ContainerPrefix, i+1, n) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		_ = c.Close(context.Background())
		return nil, err
	}
	if err := c.waitFormed(ctx, 3*time.Minute); err != nil {
		_ = c.Close(context.Background())
		return nil, err
	}
	return c, nil
}

// containerPrefix is a new cluster's container name prefix: unique, so
// that clusters of tests running side by side do not collide.
func containerPrefix() string {
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return "rpc-course-test-" + hex.EncodeToString(b) + "-"
}

// startNode runs node i of n, in container prefix + "rmq" + i, and waits
// until it accepts AMQP connections.
func startNode(ctx context.Context, nw *testcontainers.DockerNetwork, prefix string, i, n int) (*Node, error) {
	image := os.Getenv("RABBITMQ_IMAGE")
	if image == "" {
		image = DefaultImage
	}
	host := "rmq" + strconv.Itoa(i)
	amqpPort, err := freePort()
	if err != nil {
		return nil, err
	}
	mgmtPort, err := freePort()
	if err != nil {
		return nil, err
	}
	hostConfig := func(hc *container.HostConfig) {
		useInit := true // an init process as PID 1, as for the single broker
		hc.Init = &useInit
		loopback := netip.MustParseAddr("127.0.0.1")
		hc.PortBindings = network.PortMap{
			network.MustParsePort("5672/tcp"):  {{HostIP: loopback, HostPort: strconv.Itoa(amqpPort)}},
			network.MustParsePort("15672/tcp"): {{HostIP: loopback, HostPort: strconv.Itoa(mgmtPort)}},
		}
	}
	ctr, err := testcontainers.Run(ctx, image,
		testcontainers.WithName(prefix+host),
		testcontainers.WithConfigModifier(func(c *container.Config) { c.Hostname = host }),
		testcontainers.WithHostConfigModifier(hostConfig),
		tcnetwork.WithNetwork([]string{host}, nw),
		testcontainers.WithEnv(map[string]string{
			"RABBITMQ_NODENAME": "rabbit@" + host,
			"RABBITMQ_COOKIE":   clusterCookie,
		}),
		testcontainers.WithFiles(testcontainers.ContainerFile{
			Reader:            strings.NewReader(clusterConf),
			ContainerFilePath: "/etc/rabbitmq/conf.d/20-cluster.conf",
			FileMode:          0o644,
		}),
		testcontainers.WithEntrypoint("sh", "-c", nodeScript),
		testcontainers.WithExposedPorts("5672/tcp", "15672/tcp"),
	)
	if err != nil {
		if ctr != nil {
			_ = ctr.Terminate(context.Background())
		}
		return nil, fmt.Errorf("start cluster node %s from %s: %w", host, image, err)
	}
	node := &Node{
		Name: "rabbit@" + host,
		amqpURL: &url.URL{Scheme: "amqp", User: url.UserPassword("guest", "guest"),
			Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(amqpPort)), Path: "/"},
		mgmtURL: &url.URL{Scheme: "http", User: url.UserPassword("guest", "guest"),
			Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(mgmtPort))},
		ctr: ctr,
	}
	if err := node.waitReady(ctx, 4*time.Minute); err != nil {
		_ = ctr.Terminate(context.Background())
		return nil, fmt.Errorf("node %s: %w", host, err)
	}
	fmt.Fprintf(os.Stderr, "broker: cluster node %d/%d %s at %s\n", i, n, node.Name, node.amqpURL.Host)
	return node, nil
}

// waitReady dials the node until it accepts an AMQP connection.
func (n *Node) waitReady(ctx context.Context, limit time.Duration) error {
	b := &Broker{amqpURL: n.amqpURL}
	return b.waitReady(ctx, limit)
}

// URLs are the AMQP URLs of all nodes, in order.
func (c *Cluster) URLs() []string {
	urls := make([]string, len(c.Nodes))
	for i, n := range c.Nodes {
		urls[i] = n.URL()
	}
	return urls
}

// ManagementURL is the management API of the first node that runs; every
// node answers for the whole cluster.
func (c *Cluster) ManagementURL(ctx context.Context) (string, error) {
	for _, n := range c.Nodes {
		if _, err := c.RunningNodes(ctx, n); err == nil {
			return n.ManagementURL(), nil
		}
	}
	return "", errors.New("no node's management API answers")
}

// Node returns the node called name (rabbit@rmq2), or nil.
func (c *Cluster) Node(name string) *Node {
	for _, n := range c.Nodes {
		if n.Name == name {
			return n
		}
	}
	return nil
}

// Kill kills a node hard, as a power cut would: SIGKILL from Docker, no
// goodbye to clients or peers, nothing flushed that was not on disk. It
// returns once the container has stopped.
func (c *Cluster) Kill(ctx context.Context, name string) error {
	n := c.Node(name)
	if n == nil {
		return fmt.Errorf("kill: no node %s", name)
	}
	id := n.ctr.GetContainerID()
	if _, err := c.docker.ContainerKill(ctx, id, client.ContainerKillOptions{Signal: "KILL"}); err != nil {
		return fmt.Errorf("kill %s: %w", name, err)
	}
	for {
		res, err := c.docker.ContainerInspect(ctx, id, client.ContainerInspectOptions{})
		if err != nil {
			return fmt.Errorf("inspect %s: %w", name, err)
		}
		if res.Container.State == nil || !res.Container.State.Running {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// Start starts a killed node again, at the same addresses, and waits until
// it accepts connections and has rejoined the cluster.
func (c *Cluster) Start(ctx context.Context, name string) error {
	n := c.Node(name)
	if n == nil {
		return fmt.Errorf("start: no node %s", name)
	}
	if err := n.ctr.Start(ctx); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if err := n.waitReady(ctx, 4*time.Minute); err != nil {
		return fmt.Errorf("node %s: %w", name, err)
	}
	return c.waitFormed(ctx, 2*time.Minute)
}

// waitFormed waits until a node's management API lists every node as
// running.
func (c *Cluster) waitFormed(ctx context.Context, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	var running []string
	var last error
	for time.Now().Before(deadline) {
		for _, n := range c.Nodes {
			running, last = c.RunningNodes(ctx, n)
			if last == nil && len(running) == len(c.Nodes) {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
	return fmt.Errorf("cluster not formed after %v: running %v (%v)", limit, running, last)
}

// RunningNodes asks node n's management API which cluster members run.
func (c *Cluster) RunningNodes(ctx context.Context, n *Node) ([]string, error) {
	var nodes []struct {
		Name    string `json:"name"`
		Running bool   `json:"running"`
	}
	if err := getJSON(ctx, n.ManagementURL(), "/api/nodes", &nodes); err != nil {
		return nil, err
	}
	var running []string
	for _, nd := range nodes {
		if nd.Running {
			running = append(running, nd.Name)
		}
	}
	return running, nil
}

// QueueNode is the node a queue lives on: for a classic queue its only
// node, for a quorum queue its leader. vhost "/" is the default vhost.
func (c *Cluster) QueueNode(ctx context.Context, vhost, queue string) (string, error) {
	mgmt, err := c.ManagementURL(ctx)
	if err != nil {
		return "", err
	}
	var q struct {
		Node   string `json:"node"`
		Leader string `json:"leader"`
	}
	path := "/api/queues/" + url.PathEscape(vhost) + "/" + url.PathEscape(queue)
	if err := getJSON(ctx, mgmt, path, &q); err != nil {
		return "", err
	}
	if q.Leader != "" {
		return q.Leader, nil
	}
	return q.Node, nil
}

// Close removes the nodes and their network.
func (c *Cluster) Close(ctx context.Context) error {
	var errs []error
	for _, n := range c.Nodes {
		if n != nil {
			errs = append(errs, n.ctr.Terminate(ctx))
		}
	}
	if c.net != nil {
		errs = append(errs, c.net.Remove(ctx))
	}
	if c.docker != nil {
		errs = append(errs, c.docker.Close())
	}
	return errors.Join(errs...)
}

// getJSON makes one management API GET with the credentials in base.
func getJSON(ctx context.Context, base, path string, v any) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	b, err := url.Parse(base)
	if err != nil {
		return err
	}
	u := *b
	u.User = nil
	// The default vhost "/" travels escaped, as %2F, inside the path.
	if u.Path, err = url.PathUnescape(path); err != nil {
		return err
	}
	u.RawPath = path
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return err
	}
	pass, _ := b.User.Password()
	req.SetBasicAuth(b.User.Username(), pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("GET %s: %s", path, resp.Status)
	}
	if err := json.NewDecoder(resp.Body).Decode(v); err != nil {
		return fmt.Errorf("GET %s: %w", path, err)
	}
	return nil
}
