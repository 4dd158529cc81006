package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/endpoints"
	"github.com/rpc-course/rpc-from-0-to-1/06-openstack-style/oslo"
)

// openstackRPC runs the article's demo the way it could not: three
// servers on topic test, a client that calls, casts and fans out, and
// the broker holding a cast while no server runs.
func openstackRPC(ctx context.Context, g *guide) error {
	g.explain(`
		oslo.messaging's concepts as Go types: a Transport (the transport_url), a Target
		(topic test, server name), Endpoints (TestEndpoint.test), a Dispatcher, an Executor.
		Three servers share queue "test"; each also has its own "test.<name>" and a fanout queue.`, `
		oslo.messaging 的几个概念都成了 Go 类型：Transport（即 transport_url）、Target（topic test 加 server 名，
		就像门牌号）、Endpoints（TestEndpoint.test）、Dispatcher（分发器）、Executor。
		三个 server 共用队列 "test"；每个 server 还有自己的 "test.<name>" 队列和一个 fanout 队列。`)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	transport, err := oslo.NewTransport(g.osloURL, oslo.TransportOptions{Logger: quiet})
	if err != nil {
		return err
	}
	defer transport.Close()
	fleet := &osloServers{transport: transport, out: newSink(g, "    ")}
	defer fleet.stopAll()
	for _, name := range []string{"server01", "server02", "server03"} {
		if err := fleet.start(name); err != nil {
			return err
		}
	}
	client := oslo.NewRPCClient(transport, oslo.Target{Topic: "test"}, oslo.ClientOptions{Timeout: 30 * time.Second})
	defer client.Close()

	if err := osloRouting(ctx, g, client, fleet.out); err != nil {
		return err
	}

	g.explain(`
		The broker as a buffer (the article's problem two): stop every server, cast, then start one.`, `
		消息中间件当缓冲站（文章的问题二）：先停掉所有 server，再 cast 一条消息，然后启动其中一个。`)
	fleet.stopAll()
	if err := client.Cast(ctx, "test", oslo.Args{"arg": "waited in the queue"}); err != nil {
		return fmt.Errorf("cast: %w", err)
	}
	g.tell("  all servers stopped; cast test(arg=\"waited in the queue\") sent; starting server01…",
		"  所有 server 都已停止；已 cast test(arg=\"waited in the queue\")；正在启动 server01…")
	if err := fleet.start("server01"); err != nil {
		return err
	}
	return fleet.out.waitFor(`waited in the queue`, 1, 30*time.Second)
}

// osloServers are the tour's running servers on topic test, all on one
// transport, printing to one sink.
type osloServers struct {
	transport *oslo.Transport
	out       *sink
	running   []*oslo.RPCServer
}

// start starts a server named name with the article's endpoints.
func (f *osloServers) start(name string) error {
	eps := []any{&endpoints.TestEndpoint{Name: name, Out: f.out}, &endpoints.InfoEndpoint{Name: name}}
	s, err := oslo.NewRPCServer(f.transport, oslo.Target{Topic: "test", Server: name}, eps, oslo.ServerOptions{})
	if err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	if err := s.Start(); err != nil {
		return fmt.Errorf("start %s: %w", name, err)
	}
	f.running = append(f.running, s)
	return nil
}

// stopAll stops every running server and waits for it.
func (f *osloServers) stopAll() {
	for _, s := range f.running {
		s.Stop()
		s.Wait()
	}
	f.running = nil
}

// osloRouting shows where a message goes: round robin on the shared
// queue, one server by name, every server by fanout, and no server for
// a version the endpoints do not have.
func osloRouting(ctx context.Context, g *guide, client *oslo.RPCClient, out *sink) error {
	g.tell("  call whoami, three times (the broker hands queue \"test\"'s messages round robin):",
		"  call whoami 三次（消息中间件把队列 \"test\" 里的消息轮询分给各个 server）：")
	for range 3 {
		var who string
		if err := client.Call(ctx, "whoami", nil, &who); err != nil {
			return fmt.Errorf("call whoami: %w", err)
		}
		g.tell("    → answered by %s", "    → 由 %s 应答", who)
	}
	var who string
	if err := client.Prepare(oslo.Prepare{Server: "server02"}).Call(ctx, "whoami", nil, &who); err != nil {
		return fmt.Errorf("call server02: %w", err)
	}
	g.tell("  call whoami on target test.server02 → answered by %s",
		"  向 target test.server02 call whoami → 由 %s 应答", who)

	g.tell("  fanout cast test(arg=\"everyone\") (exchange test_fanout: every server gets a copy):",
		"  广播：fanout cast test(arg=\"everyone\")（交换机 test_fanout：每个 server 各收到一份）：")
	if err := client.Prepare(oslo.Prepare{Fanout: true}).Cast(ctx, "test", oslo.Args{"arg": "everyone"}); err != nil {
		return fmt.Errorf("fanout cast: %w", err)
	}
	if err := out.waitFor(`test(arg="everyone")`, 3, 30*time.Second); err != nil {
		return fmt.Errorf("fanout cast: %w", err)
	}

	err := client.Prepare(oslo.Prepare{Version: "2.0"}).Call(ctx, "test", oslo.Args{"arg": "x"}, nil)
	var remote *oslo.RemoteError
	if !errors.As(err, &remote) {
		return fmt.Errorf("call version 2.0: want a remote error, got %v", err)
	}
	g.tell("  the article's client asks for version 2.0; the endpoints are 1.0:",
		"  文章里的客户端要的是 2.0 版本，而 endpoints 是 1.0：")
	g.say("    → %s: %s", remote.Class, remote.Message)
	return nil
}
