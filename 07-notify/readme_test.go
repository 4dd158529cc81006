package readme_test

import (
	"os"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// TestREADME runs the transcripts of every page of the lesson, each
// against a fresh vhost: if a program stops printing what a page
// promises, this fails. The listener page's last block runs a Python
// oslo.messaging listener.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the pages' programs with go run")
	}
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	for _, page := range []string{"README.md", "listener.md"} {
		t.Run(page, func(t *testing.T) {
			url := broker.Get(t).NewVhost(t)
			transcript.Check(t, page, transcript.Env("AMQP_URL="+url))
		})
	}
}
