//go:build exercises

package exercises_test

import (
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestTheArticlesVersion2ClientGetsAnAnswer(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	tr, url := transport(t)
	serve(t, tr, oslo.Target{Topic: "test", Server: "server01"}, exercises.EchoEndpoint{})

	out := pypeer.Run(t, t.Context(), "testdata/py_calls.py", url, "version")
	if want := "test -> 'hello'"; !strings.Contains(out, want+"\n") {
		t.Errorf("the article's client, asking for version 2.0, printed:\n%s\nwant %q.\n"+
			"Look at EchoEndpoint.Target in version.go: which version does it declare?", out, want)
	}
	// An older client, asking for no version (1.0), is a different
	// major version: it is not served by a 2.x endpoint.
	var got any
	err := client(t, tr, "test").Call(t.Context(), "test", oslo.Args{"arg": "old"}, &got)
	if !oslo.IsRemote(err, "UnsupportedVersion") {
		t.Errorf("a call without a version got %v, %v; want UnsupportedVersion: declare 2.0, not 1.x", got, err)
	}
}
