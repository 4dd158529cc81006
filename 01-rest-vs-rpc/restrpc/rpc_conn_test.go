package restrpc

import (
	"bytes"
	"encoding/gob"
	"net"
	"net/rpc"
	"testing"
	"time"
)

// bytesConn is a connection whose peer has sent exactly the given
// bytes and then closed its side; what the server writes is dropped.
type bytesConn struct {
	r *bytes.Reader
	n int // bytes the server wrote
}

func (c *bytesConn) Read(p []byte) (int, error)       { return c.r.Read(p) }
func (c *bytesConn) Write(p []byte) (int, error)      { c.n += len(p); return len(p), nil }
func (c *bytesConn) Close() error                     { return nil }
func (c *bytesConn) LocalAddr() net.Addr              { return &net.TCPAddr{} }
func (c *bytesConn) RemoteAddr() net.Addr             { return &net.TCPAddr{} }
func (c *bytesConn) SetDeadline(time.Time) error      { return nil }
func (c *bytesConn) SetReadDeadline(time.Time) error  { return nil }
func (c *bytesConn) SetWriteDeadline(time.Time) error { return nil }

// gobCalls is what a gob client sends for n add(2, 3) calls.
func gobCalls(n int) []byte {
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	for i := range n {
		enc.Encode(rpc.Request{ServiceMethod: "Calculator.Add", Seq: uint64(i)})
		enc.Encode(Args{X: 2, Y: 3})
	}
	return b.Bytes()
}

// Whatever bytes a peer sends, the server's codec ends the connection
// cleanly: no panic, no hang, never more than MaxRequestBytes read
// for one request. The seeds are honest calls, a request over the cap,
// and both wires' garbage.
func FuzzRPCServerCodec(f *testing.F) {
	const maxRequest = 512
	f.Add(false, gobCalls(3))
	f.Add(true, append(jsonCall(0), jsonCall(1)...))
	f.Add(true, []byte(`{"method":"Calculator.Add","params":[{"x":"`+string(bytes.Repeat([]byte("a"), 2*maxRequest))))
	f.Add(false, []byte{0xfc, 0x3f, 0xff, 0xff, 0xff, 0x00})
	f.Add(true, []byte(`{"method":"Calculator.Divide","params":[{"x":1,"y":0}],"id":null}`))
	f.Add(false, []byte("\x05hello{]\n"))
	srv := NewRPCServer()
	lim := limits{maxRequestBytes: maxRequest, maxCallsPerConn: 4}
	f.Fuzz(func(t *testing.T, json bool, data []byte) {
		style := GobRPC
		if json {
			style = JSONRPC
		}
		conn := &bytesConn{r: bytes.NewReader(data)}
		c := newRPCConn(conn, style, lim, t.Logf)
		srv.ServeCodec(c) // returns once the bytes are used up or refused
		if c.n > maxRequest {
			t.Errorf("read %d bytes of one request, cap %d", c.n, maxRequest)
		}
	})
}

// Honest calls pass the codec unchanged: three pipelined add(2, 3)
// get three answers, whatever the wire.
func TestRPCServerCodecAnswersHonestCalls(t *testing.T) {
	for _, tt := range []struct {
		style Style
		data  []byte
	}{
		{GobRPC, gobCalls(3)},
		{JSONRPC, bytes.Join([][]byte{jsonCall(0), jsonCall(1), jsonCall(2)}, nil)},
	} {
		conn := &bytesConn{r: bytes.NewReader(tt.data)}
		NewRPCServer().ServeCodec(newRPCConn(conn, tt.style, (&Server{}).limits(), t.Logf))
		if conn.n == 0 {
			t.Errorf("%s: no answers written", tt.style)
		}
	}
}
