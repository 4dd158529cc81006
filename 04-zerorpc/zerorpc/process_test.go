// The server process disappears mid-call: the test binary re-runs
// itself as a server (see TestMain), the client calls a slow method,
// and the test kills the server with SIGKILL.

package zerorpc_test

import (
	"bufio"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

const helperEnv = "ZERORPC_TEST_HELPER_SERVER"

// TestMain turns the test binary into a plain server when the helper
// variable is set; otherwise it runs the tests.
func TestMain(m *testing.M) {
	if os.Getenv(helperEnv) == "1" {
		s := &zerorpc.Server{Name: "helper", Heartbeat: 100 * time.Millisecond}
		if err := s.Register(&testService{}); err == nil {
			ln, err := net.Listen("tcp", "127.0.0.1:0")
			if err == nil {
				fmt.Println("READY", "tcp://"+ln.Addr().String())
				err = s.Serve(ln)
			}
			fmt.Fprintln(os.Stderr, err)
		}
		os.Exit(1)
	}
	os.Exit(m.Run())
}

func TestLostRemoteWhenServerProcessDies(t *testing.T) {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), helperEnv+"=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	lines := bufio.NewScanner(out)
	if !lines.Scan() || !strings.HasPrefix(lines.Text(), "READY ") {
		t.Fatalf("helper server said %q", lines.Text())
	}
	endpoint := strings.TrimPrefix(lines.Text(), "READY ")

	c := dial(t, endpoint, zerorpc.Dialer{Heartbeat: 100 * time.Millisecond})
	if v, err := c.Call(t.Context(), "add", 2, 3); err != nil || v != int64(5) {
		t.Fatalf("add = %v, %v", v, err)
	}
	errc := make(chan error, 1)
	go func() {
		_, err := c.Call(t.Context(), "sleep", 10_000)
		errc <- err
	}()
	time.Sleep(300 * time.Millisecond) // the call is in flight, heartbeats flow
	killed := time.Now()
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	err = <-errc
	var lost *zerorpc.LostRemoteError
	if !errors.As(err, &lost) || lost.Method != "sleep" {
		t.Fatalf("got %v, want a LostRemoteError", err)
	}
	t.Logf("lost remote reported %s after the kill: %v", time.Since(killed).Round(time.Millisecond), err)
	// Later calls fail at once instead of waiting for a dead peer.
	if _, err := c.Call(t.Context(), "add", 1, 2); !errors.As(err, new(*zerorpc.LostRemoteError)) {
		t.Errorf("after the loss: %v", err)
	}
}
