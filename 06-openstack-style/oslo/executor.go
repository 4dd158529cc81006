// The article's "executor": how a server runs the requests it receives.
// oslo has blocking (one at a time, in the polling loop) and
// threading (a pool of threads). Ours are [BlockingExecutor] and
// [PoolExecutor]. The executor's size is also the server's prefetch count:
// the broker hands a server no more unacknowledged messages than it can
// run, so a busy server leaves the rest to the others.

package oslo

import (
	"context"
	"sync"
)

// An Executor runs the server's tasks.
type Executor interface {
	// Slots is how many tasks may run at once.
	Slots() int
	// Submit runs task once a slot is free. It returns ctx's error,
	// without running task, if ctx ends first.
	Submit(ctx context.Context, task func()) error
	// Wait blocks until every submitted task has returned.
	Wait()
}

// BlockingExecutor runs each task in the caller (the server's polling
// loop): one request at a time, the next waits.
type BlockingExecutor struct {
	wg sync.WaitGroup
}

func NewBlockingExecutor() *BlockingExecutor { return &BlockingExecutor{} }

func (e *BlockingExecutor) Slots() int { return 1 }

func (e *BlockingExecutor) Submit(ctx context.Context, task func()) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	e.wg.Add(1)
	defer e.wg.Done()
	task()
	return nil
}

func (e *BlockingExecutor) Wait() { e.wg.Wait() }

// PoolExecutor runs up to size tasks at once, each in its own
// goroutine (oslo's threading executor with executor_thread_pool_size).
type PoolExecutor struct {
	slots chan struct{}
	wg    sync.WaitGroup
}

// NewPoolExecutor makes a pool of size workers (at least 1).
func NewPoolExecutor(size int) *PoolExecutor {
	if size < 1 {
		size = 1
	}
	return &PoolExecutor{slots: make(chan struct{}, size)}
}

func (e *PoolExecutor) Slots() int { return cap(e.slots) }

func (e *PoolExecutor) Submit(ctx context.Context, task func()) error {
	select {
	case e.slots <- struct{}{}:
	case <-ctx.Done():
		return ctx.Err()
	}
	e.wg.Add(1)
	go func() {
		defer func() {
			<-e.slots
			e.wg.Done()
		}()
		task()
	}()
	return nil
}

func (e *PoolExecutor) Wait() { e.wg.Wait() }
