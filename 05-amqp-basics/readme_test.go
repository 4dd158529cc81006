package readme_test

import (
	"os"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// pages are the lesson's pages that show commands to run.
var pages = []string{"README.md", "reasons.md", "concepts.md", "delivery.md", "connections.md"}

// Every command a page shows runs against a fresh vhost of its own, and
// the output it promises must appear.
func TestREADME(t *testing.T) {
	for _, page := range pages {
		t.Run(page, func(t *testing.T) {
			url := broker.Get(t).NewVhost(t)
			transcript.Check(t, page, transcript.Env("AMQP_URL="+url))
		})
	}
}
