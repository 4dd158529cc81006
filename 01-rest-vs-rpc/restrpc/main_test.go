package restrpc

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// serverEnv turns the test binary into a server: the byte table is
// measured against a server in another process, as on the lesson's pages,
// because gob's type numbering is per process.
const serverEnv = "RESTVSRPC_TEST_SERVER"

func TestMain(m *testing.M) {
	if style := os.Getenv(serverEnv); style != "" {
		os.Exit(serveUntilStdinCloses(Style(style)))
	}
	os.Exit(m.Run())
}

// serveUntilStdinCloses prints "READY addr" and serves until its
// parent closes our standard input.
func serveUntilStdinCloses(style Style) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	srv := &Server{Style: style}
	go srv.Serve(ln)
	fmt.Println("READY", ln.Addr())
	io.Copy(io.Discard, os.Stdin)
	srv.Close()
	return 0
}

// startServerProcess runs a server of style in a child process and
// returns its address; the child stops when the test ends.
func startServerProcess(t *testing.T, style Style) string {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), serverEnv+"="+string(style))
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		if err := cmd.Wait(); err != nil {
			t.Errorf("%s server process: %v", style, err)
		}
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "READY ")
	if err != nil || !ok {
		t.Fatalf("%s server process said %q, %v; want READY addr", style, line, err)
	}
	return addr
}
