package broker

import (
	"context"
	"os"
	"slices"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// The harness's copy of the cluster config is the one compose mounts.
func TestClusterConfigMatchesComposeFile(t *testing.T) {
	want, err := os.ReadFile("../../rabbitmq/cluster/rabbitmq.conf")
	if err != nil {
		t.Fatal(err)
	}
	if string(want) != clusterConf {
		t.Fatal("internal/broker/cluster.conf differs from rabbitmq/cluster/rabbitmq.conf; copy one over the other")
	}
}

// Three nodes form one cluster; a node killed hard drops out of it, the
// others go on serving, and the node started again rejoins at its address.
func TestClusterNodeKilledAndStartedAgainRejoins(t *testing.T) {
	c := NewCluster(t, 3)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()

	// A quorum queue declared on node 1: its leader is a cluster member.
	conn, err := amqp.Dial(c.Nodes[0].URL())
	if err != nil {
		t.Fatal(err)
	}
	ch, err := conn.Channel()
	if err != nil {
		t.Fatal(err)
	}
	_, err = ch.QueueDeclare("harness-quorum", true, false, false, false, amqp.Table{"x-queue-type": "quorum"})
	if err != nil {
		t.Fatal(err)
	}
	conn.Close()
	leader, err := c.QueueNode(ctx, "/", "harness-quorum")
	if err != nil {
		t.Fatal(err)
	}
	if c.Node(leader) == nil {
		t.Fatalf("leader %q is not one of the cluster's nodes", leader)
	}
	t.Logf("quorum queue leader: %s", leader)

	victim := c.Nodes[2]
	if err := c.Kill(ctx, victim.Name); err != nil {
		t.Fatal(err)
	}
	running, err := c.RunningNodes(ctx, c.Nodes[0])
	for deadline := time.Now().Add(time.Minute); err == nil && slices.Contains(running, victim.Name) && time.Now().Before(deadline); {
		time.Sleep(500 * time.Millisecond)
		running, err = c.RunningNodes(ctx, c.Nodes[0])
	}
	if err != nil {
		t.Fatal(err)
	}
	if slices.Contains(running, victim.Name) || len(running) != 2 {
		t.Fatalf("after killing %s, running nodes are %v", victim.Name, running)
	}
	if _, err := amqp.Dial(victim.URL()); err == nil {
		t.Fatalf("a killed node accepted a connection")
	}

	started := time.Now()
	if err := c.Start(ctx, victim.Name); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s back in the cluster after %.1fs", victim.Name, time.Since(started).Seconds())
}
