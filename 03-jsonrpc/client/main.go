// Command client calls lesson 03's server. By default it walks through
// JSON-RPC 2.0: calls by position and by name, an application error, a
// notification and a batch, in both server styles.
//
//	-demo zabbix   logs in to the Zabbix-style API and lists hosts
//	-raw JSON      POSTs a body as is and prints the raw answer
package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/zabbix"
)

type options struct {
	server, demo, raw, path, user, pass string
}

func main() {
	var o options
	flag.StringVar(&o.server, "server", "http://127.0.0.1:8080", "server base URL")
	flag.StringVar(&o.demo, "demo", "calc", "what to show: calc or zabbix")
	flag.StringVar(&o.raw, "raw", "", "POST this body as is and print the answer")
	flag.StringVar(&o.path, "path", "/", "endpoint path for -raw")
	flag.StringVar(&o.user, "user", "Admin", "Zabbix user name")
	flag.StringVar(&o.pass, "password", os.Getenv("ZABBIX_PASSWORD"),
		"Zabbix password (default $ZABBIX_PASSWORD)")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "client:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	switch {
	case o.raw != "":
		return raw(ctx, o.server+o.path, o.raw)
	case o.demo == "calc":
		return calc(ctx, o.server)
	case o.demo == "zabbix":
		return zabbixDemo(ctx, o.server+zabbix.Path, o.user, o.pass)
	}
	return fmt.Errorf("unknown -demo %q", o.demo)
}

// calc is the article's session, server.add(2, 3) and friends, and
// then what JSON-RPC adds to it.
func calc(ctx context.Context, base string) error {
	c := jsonrpc.NewClient(base+"/", nil)
	fmt.Printf("jsonrpclib style, %s/\n", base)
	for _, m := range []string{"add", "multiply", "subtract", "divide"} {
		var r int
		if err := c.Call(ctx, m, []int{2, 3}, &r); err != nil {
			return err
		}
		fmt.Printf("%s(2, 3) = %d\n", m, r)
	}

	// By name: an object instead of an array.
	var sum int
	if err := c.Call(ctx, "add", map[string]int{"x": 2, "y": 3}, &sum); err != nil {
		return err
	}
	fmt.Printf("add(x=2, y=3) = %d\n", sum)

	// An application error is a value, not a crash.
	var q int
	err := c.Call(ctx, "divide", []int{1, 0}, &q)
	fmt.Printf("divide(1, 0): %v\n", err)

	// A notification: no id, so no answer; the server prints it.
	if err := c.Notify(ctx, "log", []string{"hello from the client"}); err != nil {
		return err
	}
	fmt.Println(`log("hello from the client"): notification sent, no answer`)

	// A batch: four requests in one POST, one of them a notification.
	var a, m int
	batch := []jsonrpc.BatchElem{
		{Method: "add", Params: []int{1, 2}, Result: &a},
		{Method: "multiply", Params: []int{3, 4}, Result: &m},
		{Method: "divide", Params: []int{1, 0}, Result: new(int)},
		{Method: "log", Params: []string{"batched"}, Notify: true},
	}
	if err := c.Batch(ctx, batch); err != nil {
		return err
	}
	fmt.Printf("batch: add(1, 2) = %d, multiply(3, 4) = %d, divide(1, 0): %v\n",
		a, m, batch[2].Error)

	// The other style, same wire.
	h := jsonrpc.NewClient(base+"/jsonrpc", nil)
	fmt.Printf("python-jsonrpc style, %s/jsonrpc\n", base)
	var hello string
	if err := h.Call(ctx, "hello", []string{"jsonrpc"}, &hello); err != nil {
		return err
	}
	fmt.Printf("hello(%q) = %q\n", "jsonrpc", hello)
	return nil
}

// zabbixDemo is the flow of every Zabbix script: log in, then carry
// the token in auth.
func zabbixDemo(ctx context.Context, url, user, pass string) error {
	c := jsonrpc.NewClient(url, nil)
	var hosts []zabbix.Host
	err := c.Call(ctx, "host.get", map[string]any{}, &hosts)
	fmt.Printf("host.get without auth: %v\n", err)

	var token string
	login := zabbix.LoginParams{Username: user, Password: pass}
	if err := c.Call(ctx, "user.login", login, &token); err != nil {
		return fmt.Errorf("user.login: %w", err)
	}
	fmt.Printf("user.login(%s) = token of %d hex digits\n", user, len(token))

	authed := c.WithAuth(token)
	if err := authed.Call(ctx, "host.get", map[string]any{}, &hosts); err != nil {
		return fmt.Errorf("host.get: %w", err)
	}
	for _, h := range hosts {
		fmt.Printf("host %s %s\n", h.HostID, h.Host)
	}
	var ok bool
	if err := authed.Call(ctx, "user.logout", nil, &ok); err != nil {
		return fmt.Errorf("user.logout: %w", err)
	}
	fmt.Printf("user.logout = %v\n", ok)
	err = authed.Call(ctx, "host.get", map[string]any{}, &hosts)
	fmt.Printf("host.get after logout: %v\n", err)
	return nil
}

// raw shows the wire: the exact bytes that come back for a body.
func raw(ctx context.Context, url, body string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("read answer: %w", err)
	}
	fmt.Printf("--> %s\n", body)
	if len(bytes.TrimSpace(b)) == 0 {
		fmt.Printf("<-- HTTP %s, empty body (no response)\n", resp.Status)
		return nil
	}
	fmt.Printf("<-- %s\n", bytes.TrimSpace(b))
	return nil
}
