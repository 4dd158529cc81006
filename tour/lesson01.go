package main

import (
	"context"
	"fmt"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

// restVsRPC serves the calculator in the three styles of lesson 01 and
// shows what one add(2, 3) puts on the wire in each.
func restVsRPC(ctx context.Context, g *guide) error {
	g.explain(`
		REST is oriented to resources: the client asks for a URI with an HTTP verb.
		RPC is oriented to methods: the client calls Calculator.Add as if it were local.
		Same calculator, three wires; a tap on the socket counts the bytes of add(2, 3).`, `
		REST 面向资源：客户端用一个 HTTP 动词去请求某个 URI。
		RPC 面向方法：客户端像调用本地方法一样调用 Calculator.Add。
		同一个计算器，三种传法；我们在 socket 上抓包，数一数一次 add(2, 3) 要传多少字节。`)
	for _, style := range restrpc.Styles {
		if err := serveAndShow(ctx, g, style); err != nil {
			return err
		}
	}
	g.explain(`
		HTTP carries a request line, headers and a status line on every call;
		RPC carries little more than the method name and the numbers.`, `
		HTTP 每次调用都要带上请求行、一串头部和状态行；
		RPC 传的几乎只有方法名和那几个数字，这就是文章说的"传输数据更小，性能更高"。`)
	return nil
}

// serveAndShow starts one style's server the course's way (listen,
// Serve in a goroutine, Shutdown at the end) and shows one call to it.
func serveAndShow(ctx context.Context, g *guide, style restrpc.Style) error {
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := &restrpc.Server{Style: style}
	go srv.Serve(ln)
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdownCtx)
	}()
	return showStyle(ctx, g, style, ln.Addr().String())
}

// showStyle makes add(2, 3) and divide(1, 0) in one style, and shows
// the bytes of the second add on a connection.
func showStyle(ctx context.Context, g *guide, style restrpc.Style, addr string) error {
	c, err := restrpc.Dial(ctx, style, addr)
	if err != nil {
		return err
	}
	defer c.Close()
	sum, err := c.Add(ctx, 2, 3)
	if err != nil {
		return fmt.Errorf("%s add: %w", style, err)
	}
	_, divErr := c.Divide(ctx, 1, 0)
	g.say("")
	g.say("  %-8s %s", style, style.Wire())
	g.tell("    add(2, 3) = %d;  divide(1, 0) → error: %v",
		"    add(2, 3) = %d；divide(1, 0) → 报错：%v", sum, divErr)

	// The second call on a connection is the typical one: gob describes its
	// types only in the first message of a connection.
	xs, err := restrpc.Capture(ctx, style, addr, "add", 2, 3, 2)
	if err != nil {
		return fmt.Errorf("%s capture: %w", style, err)
	}
	x := xs[len(xs)-1]
	g.tell("    on the wire: %d bytes sent, %d bytes received",
		"    实际传输：发送 %d 字节，接收 %d 字节", len(x.Sent), len(x.Received))
	if style != restrpc.GobRPC { // gob is binary; the text styles are worth reading
		g.wire("→", x.Sent, 12)
		g.wire("←", x.Received, 12)
	}
	return nil
}
