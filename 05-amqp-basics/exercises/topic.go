//go:build !solutions

package exercises

import "github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"

// LogBindings binds two queues to a topic exchange of log messages,
// whose routing keys are words separated by dots (source, then maybe
// more, then a level: "kern.error", "app.db.error", "kern.info"):
//
//   - queue "errors" must get every message whose last word is error,
//     however many words come before it;
//   - queue "kernel" must get every message of exactly two words whose
//     first word is kern (kern.error, kern.info; not kern.disk.warning).
//
// The test declares the exchange with these bindings
// ([mq.DeclareExchange]), publishes kern.error, kern.info, app.error,
// app.db.error and kern.disk.warning, and reads both queues.
//
// Your code here. In a topic binding, * stands for exactly one word and
// # for zero or more words.
func LogBindings() []mq.Binding {
	return nil
}
