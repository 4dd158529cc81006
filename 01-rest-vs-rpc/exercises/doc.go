// Package exercises holds lesson 01's exercises: small functions to
// write, each with a test that fails until the function does its job.
//
// Each exercise is a file to edit (rpcadd.go, restcreate.go, power.go,
// rpcoverhttp.go) with a place marked "Your code here.". Check them all,
// in course order, with
//
//	go run ./practice -lesson 1
//
// or one at a time with
//
//	go test -tags exercises -run TestRPCAddCallsTheCalculator ./01-rest-vs-rpc/exercises/
//
// The tests carry the build tag exercises, so the course's go test ./...
// does not fail while an exercise is open. A reference solution for each
// exercise sits beside it, in a file ending in _solution.go, built only
// with the tag solutions: look at it only when you are done, or stuck.
package exercises
