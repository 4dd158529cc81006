//go:build !solutions

package exercises

import "iter"

// Countdown streams n, n-1, …, 1: a zerorpc stream, sent one item at a
// time (STREAM events, then STREAM_DONE) as the client asks for more
// (_zpc_more), like a Python method decorated with @zerorpc.stream. The
// server streams any method that returns an [iter.Seq]; a client reads
// it with Stream, and the command line prints one item a line.
//
// Your code here. Return a function that yields n down to 1, and stops
// early when yield returns false (the client went away).
func (Caculate) Countdown(n int) iter.Seq[int] {
	return func(yield func(int) bool) {}
}
