package oslo

import (
	"reflect"
	"sync/atomic"
	"testing"
	"time"
)

func TestSnakeCaseIsTheWireNameOfAGoMethod(t *testing.T) {
	for in, want := range map[string]string{
		"Test":        "test",
		"Whoami":      "whoami",
		"GetHostInfo": "get_host_info",
		"GetURL":      "get_url",
		"HTTPServer":  "http_server",
		"Stop":        "stop",
	} {
		if got := snakeCase(in); got != want {
			t.Errorf("snakeCase(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestVersionsAreCompatibleWithTheSameMajorAndNoNewerMinor(t *testing.T) {
	for _, c := range []struct {
		have, want string
		ok         bool
	}{
		{"1.0", "1.0", true},
		{"1.3", "1.0", true},
		{"1.3", "1.3", true},
		{"1.3", "1.4", false},
		{"2.0", "1.0", false},
		{"1.0", "2.0", false},
		{"2.3", "2.0.1", true},
	} {
		got, err := versionCompatible(c.have, c.want)
		if err != nil || got != c.ok {
			t.Errorf("versionCompatible(%s, %s) = %v, %v; want %v", c.have, c.want, got, err, c.ok)
		}
	}
	if _, err := versionCompatible("1.0", "one"); err == nil {
		t.Error("version \"one\": want an error")
	}
}

func TestDuplicateCacheKeepsSixteen(t *testing.T) {
	c := newIDCache(16)
	for i := 0; i < 17; i++ {
		if c.seenBefore(string(rune('a' + i))) {
			t.Fatalf("id %d seen before", i)
		}
	}
	if c.seenBefore("a") {
		t.Error("the 17th id should have pushed out the first")
	}
	if !c.seenBefore("q") {
		t.Error("a recent id should be remembered")
	}
}

// A pool whose workers have all left for want of work starts them
// again, up to its size, and Wait sees every task through.
func TestPoolExecutorWorkersLeaveWhenIdleAndComeBack(t *testing.T) {
	e := NewPoolExecutor(3)
	e.idle = 10 * time.Millisecond
	for round := range 3 {
		started := make(chan struct{}, 5)
		release := make(chan struct{})
		var done atomic.Int32
		task := func() {
			started <- struct{}{}
			<-release
			done.Add(1)
		}
		for range 3 {
			if err := e.Submit(t.Context(), task); err != nil {
				t.Fatalf("round %d: Submit: %v", round, err)
			}
		}
		for range 3 {
			<-started // all three run at once
		}
		// A fourth waits for a free worker: Submit returns once one
		// takes it.
		submitted := make(chan error, 1)
		go func() { submitted <- e.Submit(t.Context(), task) }()
		close(release)
		if err := <-submitted; err != nil {
			t.Fatalf("round %d: fourth Submit: %v", round, err)
		}
		e.Wait()
		if n := done.Load(); n != 4 {
			t.Fatalf("round %d: %d tasks done after Wait, want 4", round, n)
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			e.mu.Lock()
			left := e.workers
			e.mu.Unlock()
			if left == 0 {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: %d workers still there after idling", round, left)
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
}

// holdsAny decides whether arguments are decoded with UseNumber: every
// type that can hold a value of type any somewhere must say so, or a
// number in it would come back a float64.
func TestHoldsAnyFindsEveryPlaceAValueOfTypeAnyCanBe(t *testing.T) {
	type plain struct {
		X, Y int
		S    []string
	}
	type list struct {
		Next *list
		N    int
	}
	type nested struct{ In struct{ M map[string][]any } }
	for _, c := range []struct {
		v    any
		want bool
	}{
		{plain{}, false},
		{list{}, false}, // a type that refers to itself ends
		{map[string]any{}, true},
		{nested{}, true},
		{struct{ A *[2]any }{}, true},
		{fuzzArgs{}, true},
	} {
		if got := holdsAny(reflect.TypeOf(c.v), map[reflect.Type]bool{}); got != c.want {
			t.Errorf("holdsAny(%T) = %v, want %v", c.v, got, c.want)
		}
	}
}
