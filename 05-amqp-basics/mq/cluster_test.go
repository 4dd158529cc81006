package mq_test

import (
	"errors"
	"testing"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
)

// One three-node cluster, two ways to hold a queue, a node killed hard
// under each: what the course claims about high availability, checked.
// The counts are logged; only the guarantees are asserted, never timings.
func TestClusterWhenTheBrokerDies(t *testing.T) {
	c := broker.NewCluster(t, 3)
	mgmt, err := c.ManagementURL(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	urls := c.URLs()

	t.Run("quorum queue loses no confirmed message when its leader is killed", func(t *testing.T) {
		const n = 2000
		f := &mq.Failover{
			PublishURLs: urls,
			ConsumeURLs: []string{urls[1], urls[2], urls[0]},
			Management:  mgmt,
			Nodes:       c,
			Queue:       "cluster-quorum",
			QueueType:   "quorum",
			Messages:    n,
			DownFor:     5 * time.Second,
			Logf:        t.Logf,
		}
		got, err := f.Run(t.Context())
		t.Logf("%+v", got)
		if err != nil {
			t.Fatal(err)
		}
		if got.Killed == "" {
			t.Fatal("no node was killed")
		}
		if got.Confirmed != n {
			t.Errorf("confirmed %d of %d: the publisher must retry until every message is confirmed", got.Confirmed, n)
		}
		if got.Lost != 0 {
			t.Errorf("%d confirmed messages lost; a quorum queue must lose none", got.Lost)
		}
		if got.Consumed != n {
			t.Errorf("consumed %d distinct messages of %d", got.Consumed, n)
		}
		t.Logf("duplicates skipped by the idempotent consumer: %d (at-least-once allows them)", got.Duplicates)
	})

	t.Run("classic queue is unreachable while its node is down and keeps only persistent messages", func(t *testing.T) {
		o := &mq.ClassicOutage{
			URLs:       urls,
			Management: mgmt,
			Nodes:      c,
			Queue:      "cluster-classic",
			Persistent: 300,
			Transient:  200,
			Logf:       t.Logf,
		}
		got, err := o.Run(t.Context())
		t.Logf("%+v", got)
		if err != nil {
			t.Fatal(err)
		}
		var amqpErr *amqp.Error
		if !errors.As(got.DownErr, &amqpErr) || amqpErr.Code != amqp.NotFound {
			t.Errorf("while its node was down, a survivor answered %v; want 404 NOT_FOUND (home node down)", got.DownErr)
		}
		if got.WhileDown != 0 {
			t.Errorf("%d messages reachable while the queue's node was down; want 0", got.WhileDown)
		}
		if got.AfterRestart != got.Persistent {
			t.Errorf("after restart %d messages; want the %d persistent ones (the %d transient ones die with the node)",
				got.AfterRestart, got.Persistent, got.Transient)
		}
	})
}
