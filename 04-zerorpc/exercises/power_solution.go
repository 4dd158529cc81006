//go:build solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"

// Power returns x raised to the power y; a negative y is a ValueError.
func (Caculate) Power(x, y int) (int, error) {
	if y < 0 {
		return 0, &zerorpc.RemoteError{Name: "ValueError", Message: "negative exponent"}
	}
	p := 1
	for range y {
		p *= x
	}
	return p, nil
}
