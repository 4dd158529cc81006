package readme_test

import (
	"os"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// TestREADME runs every command each page of the lesson shows, against a
// fresh vhost per page (oslo's queue names are fixed), and checks that it
// prints what the page says. The Python blocks use Debian's
// oslo.messaging.
func TestREADME(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	for _, page := range []string{"README.md", "server.md"} {
		t.Run(page, func(t *testing.T) {
			url := broker.Get(t).NewVhost(t)
			transcript.Check(t, page, transcript.Env("AMQP_URL="+url))
		})
	}
}
