//go:build exercises

package exercises_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func TestCountdownStreamsOneItemAtATime(t *testing.T) {
	c := dial(t, serve(t), zerorpc.Dialer{})
	var got []string
	for item, err := range c.Stream(t.Context(), "countdown", 5) {
		if err != nil {
			t.Fatalf("stream countdown(5): %v after %v", err, got)
		}
		got = append(got, fmt.Sprint(item))
	}
	if want := []string{"5", "4", "3", "2", "1"}; !slices.Equal(got, want) {
		t.Fatalf("countdown(5) streamed %v; want %v.\nLook at Caculate.Countdown in countdown.go: yield n down to 1.", got, want)
	}

	// A client that stops early: the server's loop must stop too (yield
	// returned false), and the server still answers.
	n := 0
	for _, err := range c.Stream(t.Context(), "countdown", 1000) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 3 {
			break
		}
	}
	var sum int
	if err := c.CallInto(t.Context(), &sum, "add", 2, 3); err != nil || sum != 5 {
		t.Errorf("add(2, 3) after a stream cut short = %d, %v; want 5", sum, err)
	}
}
