package main

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// zeroRPC serves the article's caculate over ZeroMQ and MessagePack,
// shows the one frame an add(2, 3) request is, and asks the server to
// describe itself.
func zeroRPC(ctx context.Context, g *guide) error {
	g.explain(`
		zerorpc leaves HTTP behind: ZeroMQ frames on TCP, MessagePack inside.
		The request is one small binary event, [header, "add", [2, 3]].`, `
		zerorpc 不再走 HTTP：TCP 上跑的是 ZeroMQ 帧，帧里装的是 MessagePack。
		一次请求就是一个很小的二进制事件：[header, "add", [2, 3]]。`)
	srv, err := calc.NewServer()
	if err != nil {
		return err
	}
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	c, err := zerorpc.Dial("tcp://" + ln.Addr().String())
	if err != nil {
		return err
	}
	defer c.Close()

	hello, err := c.Call(ctx, "hello", "RPC")
	if err != nil {
		return fmt.Errorf("hello: %w", err)
	}
	g.say("  >>> c.hello('RPC')")
	g.say("  %q", hello)
	var sum int
	if err := c.CallInto(ctx, &sum, "add", 2, 3); err != nil {
		return fmt.Errorf("add: %w", err)
	}
	g.say("  >>> c.add(2, 3)")
	g.say("  %d", sum)
	// The same request as the client sent it, with a message id fixed for
	// the display (a real one is 32 random hex digits).
	frame, err := zerorpc.MarshalEvent(&zerorpc.Event{
		Header: zerorpc.Header{MessageID: zerorpc.MessageID{Value: "00000001aaaaaaaaaaaaaaaaaaaaaaaa"}, Version: zerorpc.ProtocolVersion},
		Name:   "add",
		Args:   []any{2, 3},
	})
	if err != nil {
		return err
	}
	g.tell("  the request frame, %d bytes of MessagePack (HTTP's headers alone are larger):",
		"  请求帧，%d 字节的 MessagePack（光是 HTTP 的头部就比它大）：", len(frame))
	g.wire("→", []byte(hex.Dump(frame)), 8)

	_, err = c.Call(ctx, "divide", 1, 0)
	var remote *zerorpc.RemoteError
	if !errors.As(err, &remote) {
		return fmt.Errorf("divide(1, 0): want a remote error, got %v", err)
	}
	g.say("  >>> c.divide(1, 0)")
	g.say("  RemoteError %s: %s", remote.Name, remote.Message)

	var methods []string
	if err := c.CallInto(ctx, &methods, "_zerorpc_list"); err != nil {
		return fmt.Errorf("_zerorpc_list: %w", err)
	}
	g.tell("  >>> c._zerorpc_list()   (what `zerorpc ADDRESS` with no method shows)",
		"  >>> c._zerorpc_list()   （命令行 zerorpc ADDRESS 不带方法名时显示的就是它）")
	g.say("  %v", methods)
	return nil
}
