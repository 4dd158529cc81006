// Interop with a real libzmq: Python peers written from the wire spec
// (pyzmq + msgpack, Debian's python3-zmq and python3-msgpack) call our
// server and answer our client. This proves the zmq4 ↔ libzmq framing
// and the msgpack bytes. zerorpc-python itself is not packaged by
// Debian, so CI cannot run it: golden_test.go holds our encoder and
// decoder to the frames captured from zerorpc-python 0.6.3, and the
// course was checked once, by hand, against zerorpc-python's sources
// (see the lesson's cli.md).

package zerorpc_test

import (
	"bytes"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/calc"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestPythonClientCallsGoServer(t *testing.T) {
	pypeer.Require(t, "zmq", "msgpack")
	s := &zerorpc.Server{Name: "test", Heartbeat: 200 * time.Millisecond}
	must(t, s.Register(&testService{}))
	must(t, s.Register(calc.Caculate{}))
	endpoint := serve(t, s).Endpoint()

	out := pypeer.Run(t, t.Context(), "../testdata/pyclient.py", endpoint)
	t.Logf("python client:\n%s", out)
	want := []string{
		"add OK [5] bytes ['message_id', 'v', 'response_to']",
		"str-id OK [3] str",
		"divide ERR ['ZeroDivisionError', 'division by zero', None]",
		"nosuch ERR ['NameError', 'nosuch', None]",
		"count 150 items True",
		"sleep OK ['slept'] server heartbeats ",
		"silent caller answered: None",
		"ping [['pong', 'test']]",
		"inspect test ['add', 'bad_result', 'boom'] {'args': [{'name': 'x'}, {'name': 'y'}], 'doc': 'Return x + y.'}",
		"DONE",
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != len(want) {
		t.Fatalf("got %d lines, want %d", len(lines), len(want))
	}
	for i, w := range want {
		if !strings.HasPrefix(lines[i], w) {
			t.Errorf("line %d = %q, want %q", i+1, lines[i], w)
		}
	}
	// 1.5 s at one heartbeat per 0.2 s: expect about 7; ask for 3.
	var beats int
	if _, err := fmt.Sscanf(lines[5], "sleep OK ['slept'] server heartbeats %d", &beats); err != nil || beats < 3 {
		t.Errorf("server heartbeats during a 1.5 s call: %q", lines[5])
	}
}

func TestGoClientCallsPythonServer(t *testing.T) {
	pypeer.Require(t, "zmq", "msgpack")
	p := pypeer.Start(t, "../testdata/pyserver.py")
	endpoint := strings.TrimPrefix(p.WaitLine(t, "READY ", 30*time.Second), "READY ")
	c := dial(t, endpoint, zerorpc.Dialer{Heartbeat: 200 * time.Millisecond})
	ctx := t.Context()

	if v, err := c.Call(ctx, "add", 2, 3); err != nil || v != int64(5) {
		t.Errorf("add(2, 3) = %v, %v", v, err)
	}
	var re *zerorpc.RemoteError
	if _, err := c.Call(ctx, "nosuch"); !errors.As(err, &re) || re.Name != "NameError" || re.Traceback != "" {
		t.Errorf("nosuch: %v", err)
	}
	n := 0
	for item, err := range c.Stream(ctx, "count", 150) {
		if err != nil || item != int64(n) {
			t.Fatalf("count item %d = %v, %v", n, item, err)
		}
		n++
	}
	if n != 150 {
		t.Errorf("count: %d items", n)
	}
	// The Python server answers slow after 1 s with the number of
	// heartbeats it got from us meanwhile (one per 0.2 s).
	var beats int
	if err := c.CallInto(ctx, &beats, "slow"); err != nil || beats < 2 {
		t.Errorf("slow = %d, %v; want ≥ 2 client heartbeats", beats, err)
	}

	// Every request our client sent, as the Python server received it:
	// a 32-byte bin id, and exactly the bytes our encoder writes.
	requests := 0
	for _, line := range strings.Split(p.Output(), "\n") {
		fields := strings.Fields(line)
		if len(fields) != 3 || fields[0] != "REQUEST" {
			continue
		}
		requests++
		raw, err := hex.DecodeString(fields[1])
		if err != nil {
			t.Fatal(err)
		}
		ev, err := zerorpc.UnmarshalEvent(raw)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := zerorpc.MarshalEvent(ev)
		if fields[2] != "bytes" || len(ev.Header.MessageID.Value) != 32 || !bytes.Equal(again, raw) {
			t.Errorf("request %s (%s id) is not what we encode", fields[1], fields[2])
		}
	}
	if requests != 4 {
		t.Errorf("the Python server saw %d requests, want 4", requests)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
