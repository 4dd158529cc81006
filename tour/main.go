// Command tour is the course's front door: it runs every lesson for real,
// in the order of the article, and says what is happening as it goes.
//
//	go run ./tour              # all seven lessons
//	go run ./tour -lesson 4    # one lesson
//	go run ./tour -pause       # wait for Enter between steps, for a classroom
//	go run ./tour -lang zh     # in Chinese (讲解用中文)
//	go run ./tour -web         # as a web page that draws every message
//
// The tour speaks English or Chinese: by default the locale decides (the
// first of LC_ALL, LC_MESSAGES and LANG that is set; zh_CN.UTF-8 or any
// other value starting with zh means Chinese), and -lang en or -lang zh
// overrides it. Only the tour's own words change; program output,
// identifiers and the bytes on the wire are the same in both.
//
// Each lesson's server starts on a free loopback port inside this process,
// and the lesson's own client calls it. Lessons 05–07 need RabbitMQ: the
// tour uses AMQP_URL if it is set, else starts one with Docker (as the
// tests do), else says how to get one and goes on with the rest.
package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	lesson := flag.Int("lesson", 0, "run only lesson `N` (1–7); 0 runs them all")
	pause := flag.Bool("pause", false, "wait for Enter between steps")
	web := flag.Bool("web", false, "serve the tour as a web page on 127.0.0.1 and print its address")
	addr := flag.String("addr", "127.0.0.1:0", "with -web, listen on `host:port` (loopback only)")
	lang := languageFrom(os.Getenv)
	flag.Var(&lang, "lang", "speak `en` or zh; the default comes from LC_ALL, LC_MESSAGES or LANG")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	if *web {
		if err := serveWeb(ctx, *addr, lang, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "tour:", err)
			os.Exit(1)
		}
		return
	}
	g := &guide{out: os.Stdout, in: bufio.NewReader(os.Stdin), lang: lang, pause: *pause}
	if err := g.run(ctx, *lesson); err != nil {
		fmt.Fprintln(os.Stderr, "tour:", err)
		os.Exit(1)
	}
}
