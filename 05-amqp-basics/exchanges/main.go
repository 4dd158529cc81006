// Command exchanges shows exchanges, bindings and exchange types, one
// scenario at a time:
//
//	go run ./05-amqp-basics/exchanges direct
//	go run ./05-amqp-basics/exchanges topic
//	go run ./05-amqp-basics/exchanges fanout
//	go run ./05-amqp-basics/exchanges shared
//
// Each prints its bindings, what it published, and what every
// receiver got.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/rpc-course/rpc-from-0-to-1/05-amqp-basics/mq"
)

func main() {
	url := flag.String("url", mq.URLFromEnv(), "broker URL (default from AMQP_URL)")
	flag.Usage = func() {
		fmt.Fprintf(flag.CommandLine.Output(), "usage: exchanges [-url URL] {%s}\n", strings.Join(mq.ScenarioNames, "|"))
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *url, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "exchanges:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, url string, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("want one scenario, one of: %s", strings.Join(mq.ScenarioNames, ", "))
	}
	s, ok := mq.Scenarios[args[0]]
	if !ok {
		return fmt.Errorf("unknown scenario %q, want one of: %s", args[0], strings.Join(mq.ScenarioNames, ", "))
	}

	conn, err := mq.Dial(ctx, url, mq.DialOptions{Name: "exchanges " + s.Name})
	if err != nil {
		return err
	}
	defer conn.Close()

	if s.Exchange == "" {
		fmt.Printf("default exchange, queue %q\n", s.Bindings[0].Queue)
	} else {
		fmt.Printf("%s exchange %q\n", s.Kind, s.Exchange)
		for _, b := range s.Bindings {
			fmt.Printf("  binding: queue %q, key %q\n", b.Queue, b.Key)
		}
	}
	for _, m := range s.Messages {
		fmt.Printf("publish %q with routing key %q\n", m.Body, m.Key)
	}

	got, err := s.Run(ctx, conn)
	if err != nil {
		return err
	}

	// One line per receiver, then what no queue took.
	byReceiver := map[string][]string{}
	reached := map[string]bool{}
	for _, r := range got {
		byReceiver[r.Receiver] = append(byReceiver[r.Receiver], fmt.Sprintf("%q", r.Body))
		reached[r.Body] = true
	}
	for _, r := range s.Receivers {
		list := strings.Join(byReceiver[r.Name], " ")
		if list == "" {
			list = "(nothing)"
		}
		fmt.Printf("receiver %s (queue %q) got: %s\n", r.Name, r.Queue, list)
	}
	var dropped []string
	for _, m := range s.Messages {
		if !reached[string(m.Body)] {
			dropped = append(dropped, fmt.Sprintf("%q", m.Body))
		}
	}
	if len(dropped) > 0 {
		fmt.Printf("no binding matched, dropped: %s\n", strings.Join(dropped, " "))
	}
	return nil
}
