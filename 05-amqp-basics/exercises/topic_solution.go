//go:build solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"

// LogBindings binds "errors" to every key ending in error, at any depth,
// and "kernel" to the two-word keys of source kern.
func LogBindings() []mq.Binding {
	return []mq.Binding{
		{Queue: "errors", Key: "#.error"},
		{Queue: "kernel", Key: "kern.*"},
	}
}
