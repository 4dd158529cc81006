//go:build exercises

package exercises_test

import (
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/exercises"
)

func TestSendBatchGetsTwoRepliesForThreeRequests(t *testing.T) {
	py, url := articleServer(t)
	replies, err := exercises.SendBatch(t.Context(), &http.Client{Timeout: 30 * time.Second}, url)
	if err != nil {
		t.Fatalf("SendBatch returned the error %q.\nLook at batch.go: POST a JSON array of three requests.", err)
	}
	if len(replies) != 2 {
		t.Fatalf("SendBatch got %d replies: %s\nwant 2: add and multiply answer, the notification log does not "+
			"(did it have an id? a notification has no id member at all)", len(replies), replies)
	}
	got := map[string]int{}
	for _, raw := range replies {
		var r struct {
			Result int
			ID     json.RawMessage
			Error  any
		}
		if err := json.Unmarshal(raw, &r); err != nil || r.Error != nil {
			t.Fatalf("reply %s: want a result (error: %v)", raw, err)
		}
		got[string(r.ID)] = r.Result
	}
	if got["1"] != 5 || got["2"] != 20 {
		t.Errorf("results by id = %v; want id 1 → 5 (add 2, 3) and id 2 → 20 (multiply 4, 5)", got)
	}
	// The notification ran, though nobody was told: the server printed it.
	py.WaitLine(t, "LOG sent in a batch", 30*time.Second)
}
