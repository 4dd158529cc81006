package oslo_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// The tests on a three-node RabbitMQ cluster share one cluster (starting
// one takes minutes on a busy machine); TestMain removes it. They use the
// default vhost, each on topics of its own. The test that kills a node
// comes last in this file, so the others run on all three nodes.
var (
	clusterOnce sync.Once
	cluster     *broker.Cluster
	clusterErr  error
)

// sharedCluster starts the package's cluster, or skips the test with how
// to get one (fails when CI is set).
func sharedCluster(t *testing.T) *broker.Cluster {
	t.Helper()
	clusterOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
		defer cancel()
		started := time.Now()
		cluster, clusterErr = broker.StartCluster(ctx, 3)
		if clusterErr == nil {
			fmt.Fprintf(os.Stderr, "oslo: 3-node cluster formed in %.1fs\n", time.Since(started).Seconds())
		}
	})
	if clusterErr != nil {
		msg := fmt.Sprintf("no RabbitMQ cluster for this test: %v; to run it, start Docker (RABBITMQ_IMAGE picks the image)", clusterErr)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Skip(msg)
	}
	return cluster
}

func closeSharedCluster() {
	if cluster == nil {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := cluster.Close(ctx); err != nil {
		fmt.Fprintf(os.Stderr, "oslo: remove cluster: %v\n", err)
	}
}

// newClusterEnv is an env whose URL names every node of the cluster, the
// way a transport_url names a cluster (rabbit://u:p@h1,u:p@h2,u:p@h3/),
// with quorum queues and a delivery limit: Python gets both in its URL's
// query, Go gets rabbit_quorum_queue from [oslo.TransportOptions] (its
// config file) and the limit from the query, and they must agree.
func newClusterEnv(t *testing.T) *env {
	t.Helper()
	c := sharedCluster(t)
	var hosts []string
	for _, n := range c.URLs() {
		u, err := url.Parse(n)
		if err != nil {
			t.Fatal(err)
		}
		hosts = append(hosts, u.User.String()+"@"+u.Host)
	}
	return &env{t: t, url: "amqp://" + strings.Join(hosts, ",") + "/", logs: &logBuffer{},
		quorum: true, query: []string{"rabbit_quorum_delivery_limit=20"}}
}

// A real oslo.messaging client with a multi-host transport_url and
// rabbit_quorum_queue=true calls and casts to Go servers on the cluster,
// whose topic queues are quorum queues.
func TestClusterPythonClientCallsGoServersOnQuorumQueues(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	e := newClusterEnv(t)
	pythonClientCallsGoServers(t, e)
	checkQuorum(t, "test")
}

// The Go client calls a real oslo.messaging server on the cluster. The
// Python server declared its quorum queues first; a Go server then
// declares the same queues again, which RabbitMQ allows only when the
// arguments are the same (else 406 PRECONDITION_FAILED).
func TestClusterGoClientCallsPythonServerOnQuorumQueues(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	e := newClusterEnv(t)
	goClientCallsPythonServer(t, e)
	checkQuorum(t, "pytest")

	twin, err := oslo.NewRPCServer(e.transport(), oslo.Target{Topic: "pytest", Server: "py1"}, []any{&recorder{}}, oslo.ServerOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := twin.Start(); err != nil {
		t.Fatalf("declaring Python's quorum queues from Go: %v", err)
	}
	twin.Stop()
	twin.Wait()
}

// checkQuorum asserts, through the management API, that queue (in vhost
// /) is a quorum queue, and returns its leader.
func checkQuorum(t *testing.T, queue string) string {
	t.Helper()
	mgmt, err := cluster.ManagementURL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	base, err := url.Parse(mgmt)
	if err != nil {
		t.Fatal(err)
	}
	pass, _ := base.User.Password()
	user := base.User.Username()
	base.User = nil
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, base.String()+"/api/queues/%2F/"+url.PathEscape(queue), nil)
	if err != nil {
		t.Fatal(err)
	}
	req.SetBasicAuth(user, pass)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var q struct {
		Type      string         `json:"type"`
		Leader    string         `json:"leader"`
		Durable   bool           `json:"durable"`
		Arguments map[string]any `json:"arguments"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&q); err != nil {
		t.Fatalf("queue %s: %s: %v", queue, resp.Status, err)
	}
	if q.Type != "quorum" || !q.Durable || q.Leader == "" {
		t.Errorf("queue %s: type %q durable %v leader %q, want a durable quorum queue", queue, q.Type, q.Durable, q.Leader)
	}
	if limit, _ := q.Arguments["x-delivery-limit"].(float64); limit != 20 {
		t.Errorf("queue %s: arguments %v, want x-delivery-limit 20", queue, q.Arguments)
	}
	t.Logf("queue %s: %s, arguments %v, leader %s", queue, q.Type, q.Arguments, q.Leader)
	return q.Leader
}

// castCounter is the failover test's endpoint: echo answers calls, record
// counts each cast's number (a cast sent twice after a failover is
// counted twice, so duplicates show).
type castCounter struct {
	mu   sync.Mutex
	seen map[int]int
}

type nArg struct {
	N int `json:"n"`
}

func (c *castCounter) Echo(ctx context.Context, a nArg) (int, error) { return a.N, nil }

func (c *castCounter) Record(ctx context.Context, a nArg) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.seen[a.N]++
	return nil
}

// twice counts the casts that ran more than once.
func (c *castCounter) twice() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := 0
	for _, k := range c.seen {
		if k > 1 {
			n++
		}
	}
	return n
}

func (c *castCounter) missing(ids []int) []int {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []int
	for _, id := range ids {
		if c.seen[id] == 0 {
			out = append(out, id)
		}
	}
	return out
}

// A stream of calls and casts to a Go server while the node that leads
// the server's quorum queue is killed hard. Server and client fail over by
// themselves to the other nodes of the transport_url. Calls in flight may
// fail, and the test counts them; every cast the broker confirmed reaches
// the server; calls succeed again afterwards. The times are logged, not
// asserted (a busy machine is slow, not wrong).
func TestClusterCallsAndCastsCarryOnWhenTheQueueLeaderIsKilled(t *testing.T) {
	e := newClusterEnv(t)
	c := sharedCluster(t)
	ctx := t.Context()
	ep := &castCounter{seen: map[int]int{}}
	e.serverOn(e.transport(), oslo.Target{Topic: "cluster", Server: "go1"}, []any{ep},
		oslo.ServerOptions{Executor: oslo.NewPoolExecutor(4)})
	leader := checkQuorum(t, "cluster")
	client := oslo.NewRPCClient(e.transport(), oslo.Target{Topic: "cluster"}, oslo.ClientOptions{Timeout: 20 * time.Second})
	defer client.Close()

	s := &stream{client: client, logf: t.Logf}
	stop := make(chan struct{})
	wg := s.run(ctx, stop, 4, 2)

	waitFor(t, "20 calls before the kill", func() bool { return s.callsOK.Load() >= 20 })
	if err := c.Kill(ctx, leader); err != nil {
		t.Fatal(err)
	}
	killed := time.Now() // the node's container has stopped
	s.killedAt.Store(killed.UnixNano())
	t.Logf("killed %s, the leader of queue cluster", leader)
	// The node comes back at the end, so that a later test (or go test
	// -count=2) has three nodes again.
	t.Cleanup(func() {
		restarted := time.Now()
		ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
		defer cancel()
		if err := c.Start(ctx, leader); err != nil {
			t.Errorf("start %s again: %v", leader, err)
			return
		}
		t.Logf("%s back in the cluster after %.1fs", leader, time.Since(restarted).Seconds())
	})
	waitFor(t, "20 calls sent after the kill to succeed", func() bool { return s.okAfterKill.Load() >= 20 })
	close(stop)
	wg.Wait()

	s.mu.Lock()
	confirmed, castsFailed, callsFailed := s.confirmed, s.castsFailed, s.callsFailed
	recovery := time.Duration(s.recoveredAt - killed.UnixNano())
	gap := longestGap(s.okTimes)
	s.mu.Unlock()
	var lost []int
	deadline := time.Now().Add(3 * time.Minute)
	for {
		lost = ep.missing(confirmed)
		if len(lost) == 0 || time.Now().After(deadline) {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if len(lost) > 0 {
		t.Errorf("%d confirmed casts never reached the server: %v", len(lost), lost)
	}
	if newLeader := checkQuorum(t, "cluster"); newLeader == leader {
		t.Errorf("queue cluster still led by the killed node %s", leader)
	}
	t.Logf("calls: %d ok, %d failed; casts: %d confirmed, %d failed (not confirmed), %d confirmed but lost, %d run twice; "+
		"the first call sent after the kill succeeded %.1fs after it; longest time without a successful call: %.1fs",
		s.callsOK.Load(), callsFailed, len(confirmed), castsFailed, len(lost), ep.twice(), recovery.Seconds(), gap.Seconds())
	if os.Getenv("OSLO_CLUSTER_LOG") != "" {
		t.Logf("transport logs:\n%s", e.logs)
	}
	if !strings.Contains(e.logs.String(), "failed over") {
		t.Errorf("no failover logged:\n%s", e.logs)
	}
}

// stream sends calls and casts from a few goroutines each, so that some
// are in flight when the node dies, and counts what happens to them.
type stream struct {
	client   *oslo.RPCClient
	logf     func(format string, args ...any)
	next     atomic.Int64 // the number of the next call or cast
	killedAt atomic.Int64 // unix nanoseconds; 0 before the kill

	callsOK     atomic.Int64
	okAfterKill atomic.Int64 // calls sent after the kill that succeeded

	mu          sync.Mutex
	callsFailed int
	recoveredAt int64   // when the first call sent after the kill succeeded
	okTimes     []int64 // when each successful call returned, in order
	confirmed   []int   // casts the broker confirmed
	castsFailed int
}

// run starts callers and casters that go on until stop is closed.
func (s *stream) run(ctx context.Context, stop <-chan struct{}, callers, casters int) *sync.WaitGroup {
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() { s.calls(ctx, stop) })
	}
	for range casters {
		wg.Go(func() { s.casts(ctx, stop) })
	}
	return &wg
}

func (s *stream) calls(ctx context.Context, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(10 * time.Millisecond):
		}
		n := int(s.next.Add(1))
		sent := time.Now().UnixNano()
		var got int
		err := s.client.Call(ctx, "echo", oslo.Args{"n": n}, &got)
		if err == nil && got != n {
			err = fmt.Errorf("echo(%d) = %d", n, got)
		}
		s.mu.Lock()
		switch {
		case err != nil:
			s.callsFailed++
		case s.killedAt.Load() != 0 && sent > s.killedAt.Load():
			if s.recoveredAt == 0 {
				s.recoveredAt = time.Now().UnixNano()
			}
			s.okAfterKill.Add(1)
		}
		if err == nil {
			s.okTimes = append(s.okTimes, time.Now().UnixNano())
		}
		s.mu.Unlock()
		if err == nil {
			s.callsOK.Add(1)
		} else if !errors.Is(err, context.Canceled) {
			s.logf("call %d failed: %v", n, err)
		}
	}
}

func (s *stream) casts(ctx context.Context, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(10 * time.Millisecond):
		}
		n := int(s.next.Add(1))
		cctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		err := s.client.Cast(cctx, "record", oslo.Args{"n": n})
		cancel()
		s.mu.Lock()
		if err == nil {
			s.confirmed = append(s.confirmed, n)
		} else {
			s.castsFailed++
		}
		s.mu.Unlock()
	}
}

// longestGap is the longest time between two successive successful calls:
// how long the callers saw no service.
func longestGap(times []int64) time.Duration {
	var gap int64
	for i := 1; i < len(times); i++ {
		gap = max(gap, times[i]-times[i-1])
	}
	return time.Duration(gap)
}
