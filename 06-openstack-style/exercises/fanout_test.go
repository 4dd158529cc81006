//go:build exercises

package exercises_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

func TestBroadcastReachesEveryServerOfTheTopic(t *testing.T) {
	tr, _ := transport(t)
	servers := map[string]*recorder{"server01": {}, "server02": {}, "server03": {}}
	for name, r := range servers {
		serve(t, tr, oslo.Target{Topic: "test", Server: name}, r)
	}
	if err := exercises.Broadcast(t.Context(), client(t, tr, "test"), "everyone"); err != nil {
		t.Fatalf("Broadcast returned the error %q.\nLook at fanout.go: prepare a fanout client and cast test.", err)
	}
	// A cast has no answer: wait until every server has it, or 10 s.
	deadline := time.Now().Add(10 * time.Second)
	for {
		var missing []string
		for name, r := range servers {
			if !slices.Contains(r.seen(), "everyone") {
				missing = append(missing, name)
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			slices.Sort(missing)
			t.Fatalf("after Broadcast, %v never got test(arg=everyone) (10 s); want all three servers.\n"+
				"A plain cast goes to one server of the topic; set Fanout in oslo.Prepare.", missing)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
