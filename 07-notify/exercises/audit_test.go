//go:build exercises

package exercises_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestAuditorRecordsWhoCausedPythonsSeriousNotifications(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	conn, url := dial(t)
	auditor := exercises.Auditor{Trail: make(chan string, 100)}
	all := everything{seen: make(chan [2]string, 100)}
	listen(t, conn, notify.ListenerConfig{Endpoints: []any{auditor, all}})

	// oslo.messaging's notifier, as nova-compute runs it: one
	// notification per priority and one more info, all caused by user u-py.
	py := pypeer.Start(t, "../notify/testdata/py_notifier.py", url, "messagingv2")
	py.WaitLine(t, "DONE", time.Minute)
	for range 8 {
		select {
		case <-all.seen:
		case <-time.After(30 * time.Second):
			t.Fatal("the listener did not get all 8 notifications from Python in 30 s")
		}
	}
	var got []string
	for len(auditor.Trail) > 0 {
		got = append(got, <-auditor.Trail)
	}
	slices.Sort(got)
	want := []string{"u-py compute.instance.critical", "u-py compute.instance.error"}
	if !slices.Equal(got, want) {
		t.Errorf("the audit trail is %q;\nwant %q.\nLook at audit.go: the user is the request context's user_id, "+
			"and CRITICAL needs a method of its own.", got, want)
	}
}
