package readme_test

import (
	"os"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/broker"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

func TestMain(m *testing.M) { os.Exit(broker.Main(m)) }

// Every command the README shows runs against a fresh vhost, and prints
// what the README says it prints (the Python blocks use Debian's
// oslo.messaging).
func TestREADME(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	url := broker.Get(t).NewVhost(t)
	transcript.Check(t, "README.md", transcript.Env("AMQP_URL="+url))
}
