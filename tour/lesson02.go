package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// xmlRPC replays the article's ServerProxy session against the lesson's
// server, shows one call's XML, and times the two server modes.
func xmlRPC(ctx context.Context, g *guide) error {
	g.explain(`
		SimpleXMLRPCServer + ServerProxy, in Go: the article's calculate class,
		registered the way register_instance does, called over HTTP POST with XML bodies.`, `
		用 Go 重现 SimpleXMLRPCServer + ServerProxy：文章里的 calculate 类像 register_instance 那样注册到服务端，
		客户端用 HTTP POST 发送 XML 请求体，远程调用它的方法。`)
	url, _, stop, err := serveXMLRPC(xmlrpc.Concurrent)
	if err != nil {
		return err
	}
	defer stop()

	var wire bytes.Buffer
	c, err := xmlrpc.NewClient(url)
	if err != nil {
		return err
	}
	c.WireLog = &wire
	defer c.Close()
	for _, call := range []struct {
		method string
		x, y   int
	}{{"add", 2, 3}, {"multiply", 2, 3}, {"subtract", 2, 3}, {"divide", 2, 3}} {
		v, err := c.Call(ctx, call.method, call.x, call.y)
		if err != nil {
			return fmt.Errorf("%s: %w", call.method, err)
		}
		g.say("  >>> server.%s(%d, %d)", call.method, call.x, call.y)
		g.say("  %v", v)
		if call.method == "add" {
			g.wire("", wire.Bytes(), 40)
			wire.Reset()
		}
	}
	_, err = c.Call(ctx, "divide", 1, 0)
	var f *xmlrpc.Fault
	if !errors.As(err, &f) {
		return fmt.Errorf("divide(1, 0): want a fault, got %v", err)
	}
	g.say("  >>> server.divide(1, 0)")
	g.say("  Fault %d: %s", f.Code, f.String)

	g.explain(`
		"SimpleXMLRPCServer is single-threaded": four clients each call sleep(200) at once.`, `
		文章说"SimpleXMLRPCServer是一个单线程的服务器"：让四个客户端同时各调用一次 sleep(200)，看看会怎样。`)
	for _, mode := range []xmlrpc.Mode{xmlrpc.SingleThreaded, xmlrpc.Concurrent} {
		took, most, err := parallelSleeps(ctx, mode, 4, 200)
		if err != nil {
			return err
		}
		g.tell("  %-11s server: 4 × sleep(200 ms) in parallel took %v, at most %d at once",
			"  %-11s 服务端：4 个 sleep(200 ms) 同时调用，共耗时 %v，同一时刻最多执行 %d 个",
			mode, took.Round(10*time.Millisecond), most)
	}
	return nil
}

// serveXMLRPC serves the calculator in mode on a free port, the way
// every program of the course starts a server, and returns its
// endpoint and a function that shuts it down. Its sleep is counted:
// most reports how many sleep calls ever ran at the same time.
func serveXMLRPC(mode xmlrpc.Mode) (url string, most func() int32, stop func(), err error) {
	ln, err := listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, nil, fmt.Errorf("listen: %w", err)
	}
	srv := xmlrpc.NewCalculatorServer()
	srv.Mode = mode
	var now, peak atomic.Int32
	err = srv.RegisterFunction("sleep", func(ctx context.Context, ms int32) (int32, error) {
		n := now.Add(1)
		defer now.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		return xmlrpc.Sleep(ctx, ms)
	})
	if err != nil {
		ln.Close()
		return "", nil, nil, err
	}
	go srv.Serve(ln)
	stop = func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if srv.Shutdown(ctx) != nil {
			srv.Close()
		}
	}
	return "http://" + ln.Addr().String() + "/RPC2", peak.Load, stop, nil
}

// parallelSleeps starts a server in mode, makes n simultaneous
// sleep(ms) calls, each from a client of its own, and returns how long
// they took and how many ran at once.
func parallelSleeps(ctx context.Context, mode xmlrpc.Mode, n, ms int) (time.Duration, int32, error) {
	url, most, stop, err := serveXMLRPC(mode)
	if err != nil {
		return 0, 0, err
	}
	defer stop()
	start := time.Now()
	errs := make(chan error, n)
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			c, err := xmlrpc.NewClient(url)
			if err != nil {
				errs <- err
				return
			}
			defer c.Close()
			if _, err := c.Call(ctx, "sleep", ms); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return 0, 0, fmt.Errorf("sleep: %w", err)
	}
	return time.Since(start), most(), nil
}
