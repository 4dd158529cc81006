package oslo

import "testing"

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
