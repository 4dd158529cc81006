//go:build exercises

package exercises_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/07-notify/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestNotifyCreatedReachesOsloMessagingsListener(t *testing.T) {
	pypeer.Require(t, "oslo_messaging", "oslo_config")
	conn, url := dial(t)
	py := pypeer.Start(t, "../notify/testdata/py_listener.py", url, "1")
	py.WaitLine(t, "READY", time.Minute)

	if err := exercises.NotifyCreated(t.Context(), notifier(t, conn), "i-42"); err != nil {
		t.Fatalf("NotifyCreated returned the error %q.\nLook at notify.go: n.Info(ctx, event type, payload).", err)
	}
	line := py.WaitLine(t, "EVENT ", 30*time.Second)
	var got struct {
		Priority    string `json:"priority"`
		EventType   string `json:"event_type"`
		PublisherID string `json:"publisher_id"`
		Payload     any    `json:"payload"`
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(line, "EVENT ")), &got); err != nil {
		t.Fatalf("%v: %s", err, line)
	}
	payload, _ := got.Payload.(map[string]any)
	if got.Priority != "info" || got.EventType != "compute.instance.create.end" || payload["instance_id"] != "i-42" {
		t.Errorf("oslo.messaging's listener got priority %q, event type %q, payload %v;\n"+
			"want info, compute.instance.create.end and {\"instance_id\": \"i-42\"}", got.Priority, got.EventType, got.Payload)
	}
}
