package main

import (
	"fmt"
	"strings"
	"sync"
	"time"
)

// A sink is where in-process servers print (an endpoint's Out, a
// listener's log). It passes each line on to the tour, indented, and keeps
// it, so the tour can wait until, say, all three servers have printed.
type sink struct {
	g       *guide
	prefix  string
	mu      sync.Mutex
	lines   []string
	partial string
	changed chan struct{}
}

func newSink(g *guide, prefix string) *sink {
	return &sink{g: g, prefix: prefix, changed: make(chan struct{})}
}

func (s *sink) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	text := s.partial + string(p)
	lines := strings.Split(text, "\n")
	s.partial = lines[len(lines)-1]
	for _, l := range lines[:len(lines)-1] {
		s.g.say("%s%s", s.prefix, l)
		s.lines = append(s.lines, l)
	}
	close(s.changed)
	s.changed = make(chan struct{})
	return len(p), nil
}

// waitFor waits until n lines containing substr have been printed.
func (s *sink) waitFor(substr string, n int, timeout time.Duration) error {
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		count := 0
		for _, l := range s.lines {
			if strings.Contains(l, substr) {
				count++
			}
		}
		changed := s.changed
		s.mu.Unlock()
		if count >= n {
			return nil
		}
		select {
		case <-changed:
		case <-deadline:
			return fmt.Errorf("after %v, %d of %d lines with %q", timeout, count, n, substr)
		}
	}
}
