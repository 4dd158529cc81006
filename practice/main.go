// Command practice checks the course's exercises, in course order, and
// shows how far a student has come.
//
//	go run ./practice             # every lesson; stops at the first unsolved exercise
//	go run ./practice -lesson 3   # lesson 03 only
//	go run ./practice -hint       # every hint for the exercise to do next
//	go run ./practice -lang zh    # 中文 (the default follows LC_ALL, LC_MESSAGES, LANG)
//
// Each exercise is a file to edit in a lesson's exercises directory, and
// a test that fails until the file does its job. The tool remembers
// nothing: it runs the tests each time, so the student's own edits are
// the whole state.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	var opts options
	flag.IntVar(&opts.lesson, "lesson", 0, "check only lesson `N` (1–7); 0 checks them all")
	flag.BoolVar(&opts.allHints, "hint", false, "show every hint for the exercise to do next")
	flag.StringVar(&opts.lang, "lang", "", "language: en or zh (default from LC_ALL, LC_MESSAGES, LANG)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if err := run(ctx, opts, os.Stdout); err != nil {
		stop()
		fmt.Fprintln(os.Stderr, "practice:", err)
		os.Exit(1)
	}
}
