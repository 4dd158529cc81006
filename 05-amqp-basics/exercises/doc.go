// Package exercises holds lesson 05's exercises: small functions to
// write, each with a test that fails until the function does its job,
// against a real RabbitMQ (and, for the first, the article's pika
// consumer in Python).
//
// Each exercise is a file to edit (produce.go, ackafterwork.go,
// topic.go, mandatory.go) with a place marked "Your code here.". Check
// them all, in course order, with
//
//	go run ./practice -lesson 5
//
// The tests find a broker the way the lesson's tests do: AMQP_URL if
// set, else a RabbitMQ container started through Docker. They carry the
// build tag exercises, so the course's go test ./... does not fail while
// an exercise is open. A reference solution for each exercise sits
// beside it, in a file ending in _solution.go, built only with the tag
// solutions: look at it only when you are done, or stuck.
package exercises
