package mq_test

import (
	"slices"
	"sort"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

// received runs a scenario in a fresh vhost and returns, per
// receiver, the bodies it got.
func received(t *testing.T, name string) map[string][]string {
	t.Helper()
	conn := dial(t, vhost(t))
	got, err := mq.Scenarios[name].Run(t.Context(), conn)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]string{}
	for _, r := range got {
		by[r.Receiver] = append(by[r.Receiver], r.Body)
	}
	return by
}

func wantRoutes(t *testing.T, got, want map[string][]string) {
	t.Helper()
	for r, w := range want {
		g := slices.Clone(got[r])
		sort.Strings(g)
		sort.Strings(w)
		if !slices.Equal(g, w) {
			t.Errorf("receiver %s got %q, want %q", r, got[r], w)
		}
	}
	for r := range got {
		if _, ok := want[r]; !ok {
			t.Errorf("unexpected receiver %s got %q", r, got[r])
		}
	}
}

// direct: routing key == binding key; several bindings per queue; an
// unbound key reaches nobody.
func TestDirectExchangeRoutesByEqualKey(t *testing.T) {
	wantRoutes(t, received(t, "direct"), map[string][]string{
		"errors":     {"error"},
		"everything": {"info", "warning", "error"},
	})
}

// topic: "*" is one word, "#" zero or more.
func TestTopicExchangeMatchesStarAndHash(t *testing.T) {
	wantRoutes(t, received(t, "topic"), map[string][]string{
		"kern-star": {"kern.info"},                           // not "kern", not "kern.disk.full"
		"kern-hash": {"kern", "kern.info", "kern.disk.full"}, // # may match zero words
		"critical":  {"auth.critical"},
	})
}

// fanout: one message, every bound queue, every receiver.
func TestFanoutReachesEveryReceiver(t *testing.T) {
	wantRoutes(t, received(t, "fanout"), map[string][]string{
		"audit": {"deploy finished"},
		"mail":  {"deploy finished"},
		"sms":   {"deploy finished"},
	})
}

// Several receivers on one queue: each message to exactly one of them,
// and both get some.
func TestReceiversOnOneQueueGetDifferentMessages(t *testing.T) {
	got := received(t, "shared")
	var all []string
	for r, bodies := range got {
		if len(bodies) == 0 {
			t.Errorf("receiver %s got nothing", r)
		}
		all = append(all, bodies...)
	}
	if len(got) != 2 {
		t.Errorf("%d receivers got messages, want 2: %q", len(got), got)
	}
	sort.Strings(all)
	want := []string{"task 1", "task 2", "task 3", "task 4", "task 5", "task 6"}
	if !slices.Equal(all, want) {
		t.Errorf("together they got %q, want each of %q exactly once", all, want)
	}
}
