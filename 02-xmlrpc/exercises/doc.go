// Package exercises holds lesson 02's exercises: small functions to
// write, each with a test that fails until the function does its job,
// against Python's own xmlrpc.client and SimpleXMLRPCServer.
//
// Each exercise is a file to edit (multicall.go, methodhelp.go,
// faultcode.go, gzip.go) with a place marked "Your code here.". Check
// them all, in course order, with
//
//	go run ./practice -lesson 2
//
// The tests carry the build tag exercises, so the course's go test ./...
// does not fail while an exercise is open. A reference solution for each
// exercise sits beside it, in a file ending in _solution.go, built only
// with the tag solutions: look at it only when you are done, or stuck.
package exercises
