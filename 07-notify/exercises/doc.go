// Package exercises holds lesson 07's exercises: small pieces of a
// notifier and of listener endpoints to write, each with a test that
// fails until the piece does its job, against a real RabbitMQ and,
// where the article has one, oslo.messaging's own listener in Python.
//
// Each exercise is a file to edit (notify.go, filter.go, requeue.go,
// audit.go) with a place marked "Your code here.". Check them all, in
// course order, with
//
//	go run ./practice -lesson 7
//
// The tests carry the build tag exercises, so the course's go test ./...
// does not fail while an exercise is open. A reference solution for each
// exercise sits beside it, in a file ending in _solution.go, built only
// with the tag solutions: look at it only when you are done, or stuck.
package exercises
