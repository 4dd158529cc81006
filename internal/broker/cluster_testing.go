package broker

import (
	"context"
	"fmt"
	"os"
	"testing"
	"time"
)

// NewCluster starts a cluster of n nodes for one test and removes it when
// the test ends. Without Docker the test is skipped with how to get it, or
// fails when CI is set.
func NewCluster(t testing.TB, n int) *Cluster {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	started := time.Now()
	c, err := StartCluster(ctx, n)
	if err != nil {
		msg := fmt.Sprintf("no RabbitMQ cluster for this test: %v; to run it, start Docker (RABBITMQ_IMAGE picks the image)", err)
		if os.Getenv("CI") != "" {
			t.Fatalf("%s (CI is set, so this is a failure, not a skip)", msg)
		}
		t.Skip(msg)
	}
	t.Logf("%d-node cluster formed in %.1fs: %v", n, time.Since(started).Seconds(), c.URLs())
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		defer cancel()
		if err := c.Close(ctx); err != nil {
			t.Logf("remove cluster: %v", err)
		}
	})
	return c
}
