// Hostile peers, written with raw TCP: each sends what the framing
// allows but no honest peer would, and each test proves the server is
// still up (a fresh add(2, 3) answers 5) and that its memory stayed
// bounded (live heap measured with runtime.ReadMemStats, the server
// running in this process). No test measures time.

package zerorpc_test

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"net"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

// zmtpGreeting is a ZMTP 3.0 greeting with the NULL mechanism.
func zmtpGreeting() []byte {
	g := make([]byte, 64)
	g[0], g[9], g[10] = 0xff, 0x7f, 3
	copy(g[12:], "NULL")
	return g
}

// zmtpFrame is one frame: flags, then a short or a long size.
func zmtpFrame(flags byte, body []byte) []byte {
	if len(body) > 255 {
		hdr := make([]byte, 9)
		hdr[0] = flags | 0x02
		binary.BigEndian.PutUint64(hdr[1:], uint64(len(body)))
		return append(hdr, body...)
	}
	return append([]byte{flags, byte(len(body))}, body...)
}

// zmtpLongHeader announces a frame of size bytes and sends none.
func zmtpLongHeader(flags byte, size uint64) []byte {
	hdr := make([]byte, 9)
	hdr[0] = flags | 0x02
	binary.BigEndian.PutUint64(hdr[1:], size)
	return hdr
}

// zmtpReady is the READY command of a DEALER with no identity.
func zmtpReady() []byte {
	body := append([]byte{5}, "READY"...)
	for _, kv := range [][2]string{{"Socket-Type", "DEALER"}, {"Identity", ""}} {
		body = append(body, byte(len(kv[0])))
		body = append(body, kv[0]...)
		body = binary.BigEndian.AppendUint32(body, uint32(len(kv[1])))
		body = append(body, kv[1]...)
	}
	return zmtpFrame(0x04, body)
}

// rawDial opens a TCP connection to the server, closed when the test
// ends.
func rawDial(t *testing.T, endpoint string) net.Conn {
	t.Helper()
	nc, err := net.Dial("tcp", strings.TrimPrefix(endpoint, "tcp://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nc.Close() })
	return nc
}

// rawDealer is a connection that has done the handshake as a DEALER.
func rawDealer(t *testing.T, endpoint string) net.Conn {
	t.Helper()
	nc := rawDial(t, endpoint)
	if _, err := nc.Write(append(zmtpGreeting(), zmtpReady()...)); err != nil {
		t.Fatal(err)
	}
	return nc
}

// waitClosed reads until the server closes the connection. The
// deadline only stops a broken server from hanging the test.
func waitClosed(t *testing.T, nc net.Conn) {
	t.Helper()
	_ = nc.SetReadDeadline(time.Now().Add(patience(t)))
	if _, err := io.Copy(io.Discard, nc); err != nil && !errors.Is(err, net.ErrClosed) && !isReset(err) {
		t.Errorf("the server did not close the connection: %v", err)
	}
}

func isReset(err error) bool { return strings.Contains(err.Error(), "connection reset") }

// liveHeap is the heap still in use after a collection.
func liveHeap() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// stillUp proves the server still serves a fresh client.
func stillUp(t *testing.T, endpoint string) {
	t.Helper()
	c := dial(t, endpoint)
	if v, err := c.Call(t.Context(), "add", 2, 3); err != nil || v != int64(5) {
		t.Fatalf("add(2, 3) after the attack = %v, %v; want 5", v, err)
	}
}

func checkHeap(t *testing.T, before, limit uint64) {
	t.Helper()
	after := liveHeap()
	grew := int64(after) - int64(before)
	t.Logf("live heap %d KiB → %d KiB", before>>10, after>>10)
	if grew > int64(limit) {
		t.Errorf("live heap grew by %d MiB (limit %d MiB)", grew>>20, limit>>20)
	}
}

// One 73-byte packet: a greeting, then a READY command whose 8-byte
// size claims 1 TiB. zmq4 would allocate that before reading a byte
// (fatal error: out of memory); the handshake cap refuses it first.
func TestServerSurvivesATerabyteReadyCommand(t *testing.T) {
	s := startServer(t, &testService{})
	before := liveHeap()
	nc := rawDial(t, s.Endpoint())
	packet := append(zmtpGreeting(), zmtpLongHeader(0x04, 1<<40)...)
	if len(packet) != 73 {
		t.Fatalf("packet of %d bytes", len(packet))
	}
	if _, err := nc.Write(packet); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, nc)
	stillUp(t, s.Endpoint())
	checkHeap(t, before, 16<<20)
}

// Sixty connections each announce a 64 MiB frame (within the message
// cap) and send one byte of it. Memory follows the bytes received,
// not the sizes announced: sixty small buffers, not 3.75 GiB.
func TestServerMemoryFollowsBytesReceivedNotAnnounced(t *testing.T) {
	s := startServer(t, &testService{})
	before := liveHeap()
	for range 60 {
		nc := rawDealer(t, s.Endpoint())
		frame := append(zmtpLongHeader(0, zerorpc.DefaultMaxMessageSize-64), 0x93)
		if _, err := nc.Write(frame); err != nil {
			t.Fatal(err)
		}
	}
	stillUp(t, s.Endpoint())
	checkHeap(t, before, 32<<20)
}

// An event whose header carries an extra key nested 4.6 million levels
// deep (a 4.6 MB frame): skipping the key used to recurse once per
// level until the goroutine stack overflowed. The pre-scan refuses it
// without recursion; the event is dropped and the connection served.
func TestServerDropsADeeplyNestedHeader(t *testing.T) {
	s := startServer(t, &testService{})
	const depth = 4_600_000
	var ev bytes.Buffer
	ev.Write([]byte{0x93, 0x83})
	ev.Write([]byte("\xaamessage_id\xa4deep\xa1v\x03\xa5trace"))
	ev.Write(bytes.Repeat([]byte{0x91}, depth))
	ev.Write([]byte{0xc0, 0xa3, 'a', 'd', 'd', 0x92, 0x02, 0x03})
	before := liveHeap()
	nc := rawDealer(t, s.Endpoint())
	if _, err := nc.Write(append(zmtpFrame(0x01, nil), zmtpFrame(0, ev.Bytes())...)); err != nil {
		t.Fatal(err)
	}
	stillUp(t, s.Endpoint())
	checkHeap(t, before, 32<<20)
}

// A message of many frames with the MORE flag, each within the cap,
// together past it: the server counts the message as it grows and
// disconnects the peer at the cap (1 MiB here), long before the peer
// has written its 256 MiB. Before, the frames piled up without a
// total (one 2 GiB message took the server from 6 to 2,057 MiB).
func TestServerCutsOffAMessagePastTheCap(t *testing.T) {
	s := startServer(t, &testService{}, func(s *zerorpc.Server) { s.MaxMessageSize = 1 << 20 })
	before := liveHeap()
	nc := rawDealer(t, s.Endpoint())
	frame := zmtpFrame(0x01, make([]byte, 64<<10)) // MORE, 64 KiB
	var sent int
	var err error
	for sent < 256<<20 {
		if _, err = nc.Write(frame); err != nil {
			break
		}
		sent += len(frame)
	}
	t.Logf("the server cut the connection after %d KiB had been written: %v", sent>>10, err)
	if err == nil {
		t.Fatal("the server took a 256 MiB message with a 1 MiB cap")
	}
	stillUp(t, s.Endpoint())
	checkHeap(t, before, 16<<20)
}

// After the handshake, one frame header announcing 1 TiB: the message
// cap refuses it before a byte of it is allocated.
func TestServerRefusesAFrameOverTheMessageCap(t *testing.T) {
	s := startServer(t, &testService{})
	before := liveHeap()
	nc := rawDealer(t, s.Endpoint())
	if _, err := nc.Write(zmtpLongHeader(0, 1<<40)); err != nil {
		t.Fatal(err)
	}
	waitClosed(t, nc)
	stillUp(t, s.Endpoint())
	checkHeap(t, before, 16<<20)
}

// A client may not run unbounded work on the server: past
// MaxCallsPerConn calls in flight on its connection, a request is
// answered at once with a RuntimeError, and the calls in flight go on.
func TestServerCapsCallsInFlightPerConnection(t *testing.T) {
	svc := &testService{}
	s := startServer(t, svc, func(s *zerorpc.Server) { s.MaxCallsPerConn = 2 })
	c := dial(t, s.Endpoint())
	answers := make(chan error, 2)
	for range 2 {
		go func() {
			_, err := c.Call(t.Context(), "gather", 3)
			answers <- err
		}()
	}
	waitFor(t, "two calls in flight", func() bool { return svc.inFlight.Load() == 2 })
	_, err := c.Call(t.Context(), "add", 2, 3)
	var re *zerorpc.RemoteError
	if !errors.As(err, &re) || re.Name != "RuntimeError" {
		t.Fatalf("a third call got %v, want a RuntimeError", err)
	}
	t.Log(err)
	svc.maxInFlight.Store(3) // release the two
	for range 2 {
		if err := <-answers; err != nil {
			t.Errorf("a call in flight: %v", err)
		}
	}
	stillUp(t, s.Endpoint())
}

// The client is guarded the same way: a "server" that answers a call
// with a frame header announcing 1 TiB loses its connection, the call
// fails with a LostRemoteError, and the client's memory stays flat.
func TestClientRefusesAFrameOverTheMessageCap(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		nc, err := ln.Accept()
		if err != nil {
			return
		}
		defer nc.Close()
		ready := bytes.Replace(zmtpReady(), []byte("\x06DEALER"), []byte("\x06ROUTER"), 1)
		_, _ = nc.Write(append(zmtpGreeting(), ready...))
		_, _ = nc.Write(zmtpLongHeader(0, 1<<40))
		_, _ = io.Copy(io.Discard, nc)
	}()
	before := liveHeap()
	c := dial(t, "tcp://"+ln.Addr().String())
	_, err = c.Call(t.Context(), "add", 2, 3)
	var lost *zerorpc.LostRemoteError
	if !errors.As(err, &lost) {
		t.Fatalf("got %v, want a LostRemoteError", err)
	}
	t.Log(err)
	checkHeap(t, before, 16<<20)
}
