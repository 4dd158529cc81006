//go:build solutions

package exercises

import "iter"

// Countdown streams n, n-1, …, 1.
func (Caculate) Countdown(n int) iter.Seq[int] {
	return func(yield func(int) bool) {
		for i := n; i > 0; i-- {
			if !yield(i) {
				return
			}
		}
	}
}
