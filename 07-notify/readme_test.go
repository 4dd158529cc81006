package readme_test

import (
	"os"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// TestREADME runs the README's transcripts against a fresh vhost: if a
// program stops printing what the README promises, this fails. The last
// block runs a Python oslo.messaging listener.
func TestREADME(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the README's programs with go run")
	}
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	url := broker.Get(t).NewVhost(t)
	transcript.Check(t, "README.md", transcript.Env("AMQP_URL="+url))
}
