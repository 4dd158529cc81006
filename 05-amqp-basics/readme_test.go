package readme_test

import (
	"os"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// pages are the lesson's pages that show commands to run on one broker.
var pages = []string{"README.md", "reasons.md", "concepts.md", "delivery.md", "connections.md"}

// Every command a page shows runs against a fresh vhost of its own, and
// the output it promises must appear. The failover page needs a cluster
// whose nodes its program may kill: it gets three nodes of its own.
func TestREADME(t *testing.T) {
	for _, page := range pages {
		t.Run(page, func(t *testing.T) {
			url := broker.Get(t).NewVhost(t)
			transcript.Check(t, page, transcript.Env("AMQP_URL="+url))
		})
	}
	t.Run("failover.md", func(t *testing.T) {
		c := broker.NewCluster(t, 3)
		mgmt, err := c.ManagementURL(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		transcript.Check(t, "failover.md", transcript.Env(
			"AMQP_URLS="+strings.Join(c.URLs(), ","),
			"RABBITMQ_MANAGEMENT_URL="+mgmt,
			"RMQ_CONTAINER_PREFIX="+c.ContainerPrefix,
		))
	})
}
