// A raw DEALER peer for tests that must send what a well-behaved
// client never would: garbage, wrong ids, no credit, no heartbeats.

package zerorpc_test

import (
	"context"
	"testing"
	"time"

	"github.com/go-zeromq/zmq4"
	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

type rawPeer struct {
	sock   zmq4.Socket
	frames chan [][]byte
}

func newRawPeer(t *testing.T, endpoint string) *rawPeer {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sock := zmq4.NewDealer(ctx)
	if err := sock.Dial(endpoint); err != nil {
		t.Fatal(err)
	}
	p := &rawPeer{sock: sock, frames: make(chan [][]byte, 1000)}
	go func() {
		for {
			msg, err := sock.Recv()
			if err != nil {
				return
			}
			p.frames <- msg.Frames
		}
	}()
	t.Cleanup(func() {
		cancel()
		sock.Close()
	})
	return p
}

// sendPayload sends ["", payload].
func (p *rawPeer) sendPayload(t *testing.T, payload []byte) {
	t.Helper()
	if err := p.sock.SendMulti(zmq4.NewMsgFrom([]byte{}, payload)); err != nil {
		t.Fatal(err)
	}
}

func (p *rawPeer) send(t *testing.T, ev *zerorpc.Event) {
	t.Helper()
	payload, err := zerorpc.MarshalEvent(ev)
	if err != nil {
		t.Fatal(err)
	}
	p.sendPayload(t, payload)
}

// expect returns the next event, skipping heartbeats. It waits as long
// as the test may run: a slow machine cannot make it fail.
func (p *rawPeer) expect(t *testing.T) *zerorpc.Event {
	t.Helper()
	return p.next(t, patience(t))
}

// none checks that no event but heartbeats arrives for d.
func (p *rawPeer) none(t *testing.T, d time.Duration) {
	t.Helper()
	if ev := p.next(t, d); ev != nil {
		t.Fatalf("got a %s event, want none", ev.Name)
	}
}

// next returns the next event, skipping heartbeats, or nil after wait.
func (p *rawPeer) next(t *testing.T, wait time.Duration) *zerorpc.Event {
	t.Helper()
	deadline := time.After(wait)
	for {
		select {
		case frames := <-p.frames:
			if len(frames) != 2 || len(frames[0]) != 0 {
				t.Fatalf("got %d frames %q, want [\"\", payload]", len(frames), frames)
			}
			ev, err := zerorpc.UnmarshalEvent(frames[1])
			if err != nil {
				t.Fatal(err)
			}
			if ev.Name == "_zpc_hb" {
				continue
			}
			return ev
		case <-deadline:
			return nil
		}
	}
}

func request(id zerorpc.MessageID, method string, args ...any) *zerorpc.Event {
	if args == nil {
		args = []any{}
	}
	return &zerorpc.Event{Header: zerorpc.Header{MessageID: id}, Name: method, Args: args}
}

func onChannel(id, channel zerorpc.MessageID, name string, args any) *zerorpc.Event {
	return &zerorpc.Event{Header: zerorpc.Header{MessageID: id, ResponseTo: channel}, Name: name, Args: args}
}

// startSilentRouter is a "server" that reads everything and never
// says a word: no reply, no heartbeat.
func startSilentRouter(t *testing.T) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sock := zmq4.NewRouter(ctx)
	if err := sock.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			if _, err := sock.Recv(); err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		sock.Close()
	})
	return "tcp://" + sock.Addr().String()
}

// startScriptedRouter answers each request with the payloads script
// returns.
func startScriptedRouter(t *testing.T, script func(*zerorpc.Event) [][]byte) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	sock := zmq4.NewRouter(ctx)
	if err := sock.Listen("tcp://127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	go func() {
		for {
			msg, err := sock.Recv()
			if err != nil {
				return
			}
			ev, err := zerorpc.UnmarshalEvent(msg.Frames[len(msg.Frames)-1])
			if err != nil || !ev.Header.ResponseTo.IsZero() {
				continue
			}
			for _, payload := range script(ev) {
				_ = sock.SendMulti(zmq4.NewMsgFrom(msg.Frames[0], []byte{}, payload))
			}
		}
	}()
	t.Cleanup(func() {
		cancel()
		sock.Close()
	})
	return "tcp://" + sock.Addr().String()
}
