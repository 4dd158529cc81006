// Package endpoints holds the article's demo endpoints ("8.9.6 模仿OpenStack写rpc调用")
// and two more for the lesson: what each server of the demo offers.
//
// An endpoint is a plain Go value; the dispatcher calls its exported
// methods that take a context.Context and the keyword arguments.
package endpoints
