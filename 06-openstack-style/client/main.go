// Command client is the article's RPC client ("8.9.6"), in Go, with the
// three ways oslo sends: call (wait for the answer), cast (no answer) and fanout cast (to
// every server).
//
//	go run ./06-openstack-style/client call hello
//	go run ./06-openstack-style/client -server server02 whoami
//	go run ./06-openstack-style/client -fanout cast everyone
//	go run ./06-openstack-style/client -fanout stop
//	go run ./06-openstack-style/client -user alice -project demo call hi
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

type options struct {
	url, topic, server, version string
	user, project               string
	fanout                      bool
	n                           int
	timeout                     time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.url, "url", defaultURL(), "transport_url, rabbit://user:pass@host:5672/vhost (default: $TRANSPORT_URL or $AMQP_URL)")
	flag.StringVar(&o.topic, "topic", "test", "topic to send to")
	flag.StringVar(&o.server, "server", "", "send to this server only (routing key <topic>.<server>)")
	flag.StringVar(&o.version, "version", "", "version to ask for, e.g. 2.0 as in the article's client")
	flag.BoolVar(&o.fanout, "fanout", false, "cast to every server of the topic")
	flag.StringVar(&o.user, "user", "", "send a request context with this user_id")
	flag.StringVar(&o.project, "project", "", "and this project_id (with -user)")
	flag.IntVar(&o.n, "n", 1, "how many times")
	flag.DurationVar(&o.timeout, "timeout", 60*time.Second, "how long a call waits")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: client [flags] call ARG | cast ARG | whoami | stop")
		flag.PrintDefaults()
	}
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o, flag.Args()); err != nil {
		fmt.Fprintln(os.Stderr, "error:", err)
		os.Exit(1)
	}
}

func defaultURL() string {
	for _, k := range []string{"TRANSPORT_URL", "AMQP_URL"} {
		if v := os.Getenv(k); v != "" {
			return v
		}
	}
	return "rabbit://guest:guest@127.0.0.1:5672/"
}

func run(ctx context.Context, o options, args []string) error {
	if len(args) == 0 {
		return errors.New("what to do? call ARG, cast ARG, whoami or stop")
	}
	action, rest := args[0], args[1:]
	transport, err := oslo.NewTransport(o.url, oslo.TransportOptions{})
	if err != nil {
		return err
	}
	defer transport.Close()
	// Ctrl-C also ends the wait for a broker that is not up yet.
	defer context.AfterFunc(ctx, func() { transport.Close() })()

	// The article's client: Target(topic='test'), then prepare() for
	// what this command changes. Its serializer sends a *oslo.UserContext
	// found in ctx as the request context.
	serializer := oslo.UserContextSerializer{}
	client := oslo.NewRPCClient(transport, oslo.Target{Topic: o.topic}, oslo.ClientOptions{
		Timeout:    o.timeout,
		Serializer: serializer,
	})
	defer client.Close()
	client = client.Prepare(oslo.Prepare{Server: o.server, Version: o.version, Fanout: o.fanout})
	where := describe(client.Target())
	if o.user != "" {
		ctx = oslo.WithUserContext(ctx, &oslo.UserContext{UserID: o.user, ProjectID: o.project})
		dict, err := serializer.SerializeContext(ctx)
		if err != nil {
			return err
		}
		fmt.Printf("request context, as the serializer sends it: %s\n", show(dict))
	}

	switch action {
	case "call", "cast":
		if len(rest) != 1 {
			return fmt.Errorf("%s needs one argument", action)
		}
		return send(ctx, client, action, rest[0], o.n, where)
	case "whoami":
		return whoami(ctx, client, o.n)
	case "stop":
		// The control endpoint lives in namespace control, version 2.0.
		control := client.Prepare(oslo.Prepare{Namespace: "control", Version: "2.0"})
		if o.fanout {
			if err := control.Cast(ctx, "stop", nil); err != nil {
				return err
			}
			fmt.Printf("cast stop() to %s\n", where)
			return nil
		}
		if err := control.Call(ctx, "stop", nil, nil); err != nil {
			return err
		}
		fmt.Printf("stop() -> done (%s)\n", where)
		return nil
	}
	return fmt.Errorf("unknown action %q (want call, cast, whoami or stop)", action)
}

// send calls or casts the article's test(arg) n times.
func send(ctx context.Context, client *oslo.RPCClient, action, arg string, n int, where string) error {
	args := oslo.Args{"arg": arg}
	for range n {
		if action == "cast" {
			if err := client.Cast(ctx, "test", args); err != nil {
				return err
			}
			fmt.Printf("cast test(arg=%q) to %s\n", arg, where)
			continue
		}
		var result any
		if err := client.Call(ctx, "test", args, &result); err != nil {
			return err
		}
		fmt.Printf("test(arg=%q) -> %s\n", arg, show(result))
	}
	return nil
}

// whoami asks n times which server answers, and sums up.
func whoami(ctx context.Context, client *oslo.RPCClient, n int) error {
	var seen []string
	for range n {
		var name string
		if err := client.Call(ctx, "whoami", nil, &name); err != nil {
			return err
		}
		fmt.Printf("whoami() -> %q\n", name)
		if !slices.Contains(seen, name) {
			seen = append(seen, name)
		}
	}
	if n > 1 {
		slices.Sort(seen)
		fmt.Printf("%d calls answered by %d servers: %s\n", n, len(seen), strings.Join(seen, " "))
	}
	return nil
}

func describe(t oslo.Target) string {
	switch {
	case t.Fanout:
		return fmt.Sprintf("every server of topic %s (exchange %s_fanout)", t.Topic, t.Topic)
	case t.Server != "":
		return fmt.Sprintf("%s.%s", t.Topic, t.Server)
	}
	return "topic " + t.Topic
}

func show(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(data)
}
