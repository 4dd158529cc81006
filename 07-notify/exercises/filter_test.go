//go:build exercises

package exercises_test

import (
	"slices"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/07-notify/notify"
)

func TestCreateWatcherGetsOnlyCreateEvents(t *testing.T) {
	conn, _ := dial(t)
	watcher := exercises.CreateWatcher{Seen: make(chan string, 100)}
	all := everything{seen: make(chan [2]string, 100)}
	// The watcher first: every endpoint whose filter matches is called,
	// in order, so once all has an event the watcher has had its chance.
	listen(t, conn, notify.ListenerConfig{Endpoints: []any{watcher, all}})

	n := notifier(t, conn)
	sent := []string{
		"compute.instance.create.start",
		"compute.instance.delete.end",
		"image.create.end",
		"compute.instanceXcreate.end",
		"compute.instance.create.end",
	}
	for _, et := range sent {
		if err := n.Info(t.Context(), et, map[string]any{"instance_id": "i-1"}); err != nil {
			t.Fatal(err)
		}
	}
	for range sent {
		select {
		case <-all.seen:
		case <-time.After(30 * time.Second):
			t.Fatal("the listener did not deliver all five notifications in 30 s")
		}
	}
	var got []string
	for len(watcher.Seen) > 0 {
		got = append(got, <-watcher.Seen)
	}
	want := []string{"compute.instance.create.start", "compute.instance.create.end"}
	if !slices.Equal(got, want) {
		t.Errorf("the watcher got %q;\nwant only %q.\nLook at CreateWatcher.FilterRule in filter.go "+
			"(escape the dots: compute.instanceXcreate.end must not match).", got, want)
	}
}
