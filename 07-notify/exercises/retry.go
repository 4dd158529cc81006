package exercises

import "sync"

// RetryOnce is an endpoint for ERROR notifications that cannot handle a
// notification the first time it sees it (a database was down, say)
// and can the second time. Its method Error is in requeue.go.
type RetryOnce struct {
	mu    sync.Mutex
	tries map[string]int // message_id → calls so far
}

// try counts one more call for the notification with id and returns
// how many there have been, this one included.
func (e *RetryOnce) try(id string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.tries == nil {
		e.tries = map[string]int{}
	}
	e.tries[id]++
	return e.tries[id]
}

// Tries returns how many times Error was called for the notification
// with id.
func (e *RetryOnce) Tries(id string) int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.tries[id]
}
