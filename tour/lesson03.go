package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net/http"

	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/jsonrpc"
	"github.com/rpc-course/rpc-from-0-to-1/03-jsonrpc/zabbix"
)

// jsonRPC calls the jsonrpclib-style server, shows a batch and a
// notification on the wire, then logs in to the zabbix-style API.
func jsonRPC(ctx context.Context, g *guide) error {
	g.explain(`
		JSON-RPC 2.0 over HTTP, jsonrpclib style: server.register_function(add, 'add').
		Same calculator, JSON instead of XML: compare the size of the bodies with lesson 02.`, `
		基于 HTTP 的 JSON-RPC 2.0，jsonrpclib 的写法：server.register_function(add, 'add')。
		还是那个计算器，只是把 XML 换成了 JSON：和第 02 课比一比请求体的大小。`)
	url, stop, err := serveJSONRPC(jsonrpc.NewFunctionServer())
	if err != nil {
		return err
	}
	defer stop()
	tap := &bodyTap{next: http.DefaultTransport}
	c := jsonrpc.NewClient(url, &http.Client{Transport: tap})

	var sum int
	if err := c.Call(ctx, "add", []int{2, 3}, &sum); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	g.say("  >>> server.add(2, 3)")
	g.say("  %d", sum)
	g.wire("→", tap.sent, 3)
	g.wire("←", tap.got, 3)

	var jerr *jsonrpc.Error
	err = c.Call(ctx, "divide", []int{1, 0}, nil)
	if !errors.As(err, &jerr) {
		return fmt.Errorf("divide(1, 0): want a JSON-RPC error, got %v", err)
	}
	g.say("  >>> server.divide(1, 0)")
	g.say("  error %d: %s (data: %v)", jerr.Code, jerr.Message, jerr.Data)

	g.explain(`
		What XML-RPC lacks: a batch (several calls, one request) and notifications (no id, no answer).`, `
		XML-RPC 没有的两样东西：批量请求（一个请求里装好几个调用）和通知（不带 id，服务端也不回应）。`)
	var product, diff int
	batch := []jsonrpc.BatchElem{
		{Method: "multiply", Params: []int{2, 3}, Result: &product},
		{Method: "subtract", Params: []int{2, 3}, Result: &diff},
		{Method: "add", Params: []int{1, 1}, Notify: true},
	}
	if err := c.Batch(ctx, batch); err != nil {
		return fmt.Errorf("batch: %w", err)
	}
	g.tell("  batch → multiply(2, 3) = %d, subtract(2, 3) = %d, and one notification",
		"  批量请求 → multiply(2, 3) = %d，subtract(2, 3) = %d，外加一个通知", product, diff)
	g.wire("→", tap.sent, 3)
	g.wire("←", tap.got, 3)

	return zabbixLogin(ctx, g)
}

// zabbixLogin shows the zabbix API's shape: log in for a token, then
// name the method and its params, with the token in "auth".
func zabbixLogin(ctx context.Context, g *guide) error {
	g.explain(`
		The zabbix API is JSON-RPC 2.0 too: say which method, pass its params;
		user.login returns a token that later calls carry in "auth".`, `
		zabbix API 也是基于 JSON-RPC 2.0 的：直接指明要调用哪个方法，再传上这个方法的参数；
		user.login 返回一个令牌，之后的每次调用都把它放在 "auth" 里带上。`)
	// The service lives only in this process; its password is made up on
	// the spot, so there is no secret to keep.
	user, password := "Admin", rand.Text()
	url, stop, err := serveJSONRPC(zabbix.NewService(user, password).Server())
	if err != nil {
		return err
	}
	defer stop()
	c := jsonrpc.NewClient(url+zabbix.Path, nil)

	var hosts []zabbix.Host
	err = c.Call(ctx, "host.get", map[string]any{}, &hosts)
	g.tell("  host.get without a token → %v", "  不带令牌调用 host.get → %v", err)

	var token string
	if err := c.Call(ctx, "user.login", zabbix.LoginParams{Username: user, Password: password}, &token); err != nil {
		return fmt.Errorf("user.login: %w", err)
	}
	g.tell("  user.login → token %s…", "  user.login → 令牌 %s…", token[:8])
	if err := c.WithAuth(token).Call(ctx, "host.get", map[string]any{}, &hosts); err != nil {
		return fmt.Errorf("host.get: %w", err)
	}
	for _, h := range hosts {
		g.say("  host.get → hostid %s  %s", h.HostID, h.Host)
	}
	return nil
}

// serveJSONRPC serves h on a free loopback port, as every lesson server
// starts: listen, Serve in a goroutine, Shutdown when done. It returns
// the base URL and the function that stops the server.
func serveJSONRPC(h http.Handler) (url string, stop func(), err error) {
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &jsonrpc.HTTPServer{Handler: h}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Shutdown(context.Background()) }, nil
}
