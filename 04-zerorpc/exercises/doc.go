// Package exercises holds lesson 04's exercises: small pieces of a
// zerorpc service and client to write, each with a test that fails until
// the piece does its job, against a Python zerorpc peer (pyzmq and
// msgpack), the lesson's command line, and bytes captured from
// zerorpc-python.
//
// Each exercise is a file to edit (add.go, power.go, countdown.go,
// event.go) with a place marked "Your code here.". Check them all, in
// course order, with
//
//	go run ./practice -lesson 4
//
// The tests carry the build tag exercises, so the course's go test ./...
// does not fail while an exercise is open. A reference solution for each
// exercise sits beside it, in a file ending in _solution.go, built only
// with the tag solutions: look at it only when you are done, or stuck.
package exercises
