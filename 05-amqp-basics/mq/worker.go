// Workers: the article's "rpc servers" seen from the broker — each one
// a receiver with its own connection, sharing one queue.
//
// Each worker connects on its own, as a separate server process would,
// so stopping or "crashing" one does not touch the others.

package mq

import (
	"context"
	"errors"
	"fmt"
	"time"

	amqp "github.com/rabbitmq/amqp091-go"
)

// Handled reports one message a worker finished (or crashed on).
type Handled struct {
	Worker      string
	Body        string
	Redelivered bool
	Crashed     bool // the worker died holding this message, unacked
}

// WorkerOptions describe one worker.
type WorkerOptions struct {
	Name     string
	Queue    string
	Work     time.Duration // time spent per message
	Prefetch int           // 0 means 1
	// CrashOn, if set and true for a message, makes the worker die
	// holding it: no ack, channel and connection closed.
	CrashOn func(body string) bool
	// Report is called for every message handled or crashed on. It
	// runs on the worker's goroutine; keep it short.
	Report func(Handled)
}

// Worker is a running worker.
type Worker struct {
	Name   string
	conn   *amqp.Connection
	cancel context.CancelFunc
	done   chan error
}

// StartWorker connects and starts consuming. It returns once the
// worker is subscribed, so messages published afterwards can reach it.
func StartWorker(ctx context.Context, rawURL string, opts WorkerOptions) (*Worker, error) {
	conn, err := Dial(ctx, rawURL, DialOptions{Name: opts.Name})
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	w := &Worker{Name: opts.Name, conn: conn, cancel: cancel, done: make(chan error, 1)}
	ready := make(chan struct{}, 1)

	handle := func(ctx context.Context, d amqp.Delivery) error {
		h := Handled{Worker: opts.Name, Body: string(d.Body), Redelivered: d.Redelivered}
		if opts.CrashOn != nil && opts.CrashOn(h.Body) {
			h.Crashed = true
			report(opts.Report, h)
			return ErrAbandon
		}
		sleep(ctx, opts.Work)
		if ctx.Err() != nil {
			// Stopped mid-task: leave it unacked for another worker.
			return ErrAbandon
		}
		report(opts.Report, h)
		return nil
	}
	go func() {
		err := consume(ctx, conn, ConsumeOptions{Queue: opts.Queue, Tag: opts.Name, Prefetch: opts.Prefetch},
			func() { ready <- struct{}{} }, handle)
		// A crash takes the whole "process" down: the connection too.
		conn.Close()
		w.done <- err
	}()

	select {
	case <-ready:
		return w, nil
	case err := <-w.done:
		cancel()
		return nil, fmt.Errorf("worker %s: %w", opts.Name, err)
	}
}

// Stop stops the worker and waits for it. It returns nil, or
// [ErrAbandon] when the worker crashed or was stopped mid-task (that
// task goes back to the queue).
func (w *Worker) Stop() error {
	w.cancel()
	return w.Wait()
}

// Wait waits for the worker to end on its own (a crash) or be stopped.
func (w *Worker) Wait() error {
	err := <-w.done
	w.done <- err // later callers get the same answer
	if err != nil && !errors.Is(err, ErrAbandon) {
		return fmt.Errorf("worker %s: %w", w.Name, err)
	}
	return err
}

func report(f func(Handled), h Handled) {
	if f != nil {
		f(h)
	}
}
