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
	"time"
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

// PoolExecutor runs up to size tasks at once on a pool of worker
// goroutines (oslo's threading executor, a pool of
// executor_thread_pool_size threads). A worker that finishes a task takes
// the next one: a busy server does not start a goroutine, and grow its
// stack, for every message. A worker idle for [PoolIdle] leaves; the
// next busy moment starts it again.
type PoolExecutor struct {
	size    int
	idle    time.Duration // PoolIdle; shorter in tests
	tasks   chan func()   // unbuffered: a task goes to a worker that is free
	left    chan struct{} // a worker left (one pending signal is enough)
	running sync.WaitGroup

	mu      sync.Mutex
	workers int
}

// PoolIdle is how long a [PoolExecutor]'s worker waits for a task before
// it leaves.
const PoolIdle = 5 * time.Second

// NewPoolExecutor makes a pool of size workers (at least 1).
func NewPoolExecutor(size int) *PoolExecutor {
	if size < 1 {
		size = 1
	}
	return &PoolExecutor{size: size, idle: PoolIdle, tasks: make(chan func()), left: make(chan struct{}, 1)}
}

func (e *PoolExecutor) Slots() int { return e.size }

// Submit gives task to a free worker, starts a worker if the pool has
// room, or waits for one of the two.
func (e *PoolExecutor) Submit(ctx context.Context, task func()) error {
	e.running.Add(1)
	select {
	case e.tasks <- task:
		return nil
	default:
	}
	for {
		if e.startWorker(task) {
			return nil
		}
		select {
		case e.tasks <- task:
			return nil
		case <-e.left: // room again: try to start one
		case <-ctx.Done():
			e.running.Done()
			return ctx.Err()
		}
	}
}

func (e *PoolExecutor) startWorker(task func()) bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.workers == e.size {
		return false
	}
	e.workers++
	go e.work(task)
	return true
}

// work runs task, then every task it is given, until it has been idle
// for e.idle.
func (e *PoolExecutor) work(task func()) {
	idle := time.NewTimer(e.idle)
	defer idle.Stop()
	for {
		task()
		e.running.Done()
		idle.Reset(e.idle)
		select {
		case task = <-e.tasks:
			continue
		case <-idle.C:
		}
		e.mu.Lock()
		e.workers--
		e.mu.Unlock()
		select {
		case e.left <- struct{}{}:
		default: // a signal is already waiting
		}
		return
	}
}

func (e *PoolExecutor) Wait() { e.running.Wait() }
