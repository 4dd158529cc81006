//go:build exercises

package exercises_test

import (
	"net"
	"net/rpc"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/01-rest-vs-rpc/restrpc"
)

func TestPowerIsOneMoreMethodOnTheSameService(t *testing.T) {
	srv := rpc.NewServer()
	if err := srv.RegisterName(restrpc.ServiceName, exercises.Calculator{}); err != nil {
		t.Fatalf("register Calculator: %v", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return // the listener closed: the test is over
			}
			go srv.ServeConn(conn)
		}
	}()
	client, err := rpc.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	for _, c := range []struct{ x, y, want int }{{2, 10, 1024}, {3, 0, 1}, {-2, 3, -8}, {0, 0, 1}} {
		var got int
		if err := client.Call("Calculator.Power", restrpc.Args{X: c.x, Y: c.y}, &got); err != nil {
			t.Fatalf("Calculator.Power(%d, %d) failed: %v; want %d.\nLook at Calculator.Power in power.go.",
				c.x, c.y, err, c.want)
		}
		if got != c.want {
			t.Fatalf("Calculator.Power(%d, %d) = %d; want %d", c.x, c.y, got, c.want)
		}
	}
	var got int
	if err := client.Call("Calculator.Power", restrpc.Args{X: 2, Y: -1}, &got); err == nil {
		t.Errorf("Calculator.Power(2, -1) = %d with no error; a negative exponent must be an error", got)
	}
	// The old methods are still there: adding a method broke no caller.
	if err := client.Call("Calculator.Add", restrpc.Args{X: 2, Y: 3}, &got); err != nil || got != 5 {
		t.Errorf("Calculator.Add(2, 3) = %d, %v; want 5 (keep restrpc.CalculatorService embedded)", got, err)
	}
}
