package amqpbasics_test

import (
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/transcript"
)

// Every command the README shows runs against a fresh vhost, and the
// output it promises must appear.
func TestREADME(t *testing.T) {
	transcript.Check(t, "README.md", transcript.Env("AMQP_URL="+vhost(t)))
}
