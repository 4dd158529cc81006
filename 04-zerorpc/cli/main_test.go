package main

import (
	"bytes"
	"errors"
	"io"
	"iter"
	"log"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/04-zerorpc/zerorpc"
)

func TestStrftimeFollowsCDirectives(t *testing.T) {
	at := time.Date(2026, 3, 7, 14, 5, 9, 0, time.UTC) // a Saturday
	tests := map[string]string{
		"%Y/%m/%d":    "2026/03/07",
		"%H:%M:%S":    "14:05:09",
		"%a %A %b %B": "Sat Saturday Mar March",
		"%I %p %j":    "02 PM 066",
		"%y %e %w %u": "26  7 6 6",
		"%c":          "Sat Mar  7 14:05:09 2026",
		"%x %X %%":    "03/07/26 14:05:09 %",
		"%U %W %V":    "09 09 10",
		"%q and %":    "%q and %",
	}
	for format, want := range tests {
		if got := strftime(format, at); got != want {
			t.Errorf("strftime(%q) = %q, want %q", format, got, want)
		}
	}
}

// Each row's repr is what Python's pprint.pformat prints for the value
// zerorpc-python decodes, its json what json.dumps writes (for bytes,
// of the same text as a str): /usr/bin/python3 printed them.
func TestResultsPrintAsPythonPrintsThem(t *testing.T) {
	tests := []struct {
		v          any
		repr, json string
	}{
		{"2026/03/07", `'2026/03/07'`, `"2026/03/07"`},
		{"it's", `"it's"`, `"it's"`},
		{"Jé\n", `'Jé\n'`, `"J\u00e9\n"`},
		{"\ufffd x\x7f", "'\ufffd x\\x7f'", `"\ufffd x\u007f"`},
		{int64(5), "5", "5"},
		{1.5, "1.5", "1.5"},
		{1.0, "1.0", "1.0"},
		{1e16, "1e+16", "1e+16"},
		{1763712345.25, "1763712345.25", "1763712345.25"},
		{nil, "None", "null"},
		{true, "True", "true"},
		{[]byte("a'b"), `b"a'b"`, `"a'b"`},
		{[]any{"pong", "time"}, "['pong', 'time']", `["pong", "time"]`},
		{map[string]any{"b": int64(1), "a": nil}, "{'a': None, 'b': 1}", `{"a": null, "b": 1}`},
	}
	for _, tt := range tests {
		for _, asJSON := range []bool{false, true} {
			want := tt.repr
			if asJSON {
				want = tt.json
			}
			var out bytes.Buffer
			if err := show(&out, tt.v, asJSON); err != nil || out.String() != want+"\n" {
				t.Errorf("show(%#v, json %v) = %q, %v; want %s", tt.v, asJSON, out.String(), err, want)
			}
		}
	}
}

func TestParseReadsPythonsCommandLine(t *testing.T) {
	tests := []struct {
		args                     []string
		server                   bool
		address, command, params string
	}{
		{[]string{"--server", "--bind", "tcp://a:1", "time"}, true, "", "time", ""},
		{[]string{"--client", "--connect", "tcp://a:1", "strftime", "%Y"}, false, "", "strftime", "%Y"},
		{[]string{"tcp://a:1", "add", "1", "2"}, false, "tcp://a:1", "add", "1 2"},
		{[]string{"-j", "-pj", "tcp://a:1", "add", "-1", "2"}, false, "tcp://a:1", "add", "-1 2"},
		{[]string{"tcp://a:1"}, false, "tcp://a:1", "", ""},
	}
	for _, tt := range tests {
		cfg, err := parse(tt.args, io.Discard)
		if err != nil {
			t.Errorf("%v: %v", tt.args, err)
			continue
		}
		if cfg.server != tt.server || cfg.address != tt.address || cfg.command != tt.command ||
			strings.Join(cfg.params, " ") != tt.params {
			t.Errorf("%v: parsed %+v", tt.args, cfg)
		}
	}
	for _, bad := range [][]string{{}, {"--server", "--bind", "tcp://a:1"}, {"--nosuch"}} {
		if _, err := parse(bad, io.Discard); !errors.Is(err, errUsage) {
			t.Errorf("%v: got %v, want usage error", bad, err)
		}
	}
}

// The client side of the command, in process, against a server with
// a plain method, a stream and a failing method.
func TestClientCommandPrintsOnlyResultsOnStdout(t *testing.T) {
	s, err := newTimeServer()
	if err != nil {
		t.Fatal(err)
	}
	s.ErrorLog = log.New(io.Discard, "", 0)
	must(t, s.RegisterFunc("add", func(x, y int) int { return x + y }, zerorpc.Doc{Args: []string{"x", "y"}}))
	must(t, s.RegisterFunc("count", func(n int) iter.Seq[int] {
		return func(yield func(int) bool) {
			for i := range n {
				if !yield(i) {
					return
				}
			}
		}
	}, zerorpc.Doc{Text: "Count to n.", Args: []string{"n"}}))
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	addr := "tcp://" + ln.Addr().String()

	run := func(args ...string) (string, error) {
		cfg, err := parse(args, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		var out, status bytes.Buffer
		err = runClient(t.Context(), cfg, &out, &status)
		if want := "connecting to \"" + addr + "\"\n"; status.String() != want {
			t.Errorf("%v: stderr %q, want %q", args, status.String(), want)
		}
		return out.String(), err
	}
	tests := []struct {
		args []string
		want string
	}{
		{[]string{addr, "strftime", "%%"}, "'%'\n"},
		{[]string{"--connect", addr, "strftime", "%%"}, "'%'\n"},
		{[]string{"-j", addr, "add", "40", "2"}, "42\n"},
		{[]string{addr, "count", "3"}, ""}, // "3" is a string: see below
		{[]string{"-j", addr, "count", "3"}, "0\n1\n2\n"},
		{[]string{"-j", "-pj", addr, "count", "3"}, "[0,1,2]\n"},
		{[]string{"-pj", addr, "_zerorpc_ping"}, "[\"pong\", \"time\"]\n"},
		{[]string{addr}, "add      <undocumented>\ncount    Count to n.\nstrftime strftime(format[, tuple]) -> string\ntime     time() -> floating point number\n"},
		{[]string{"-?", addr}, "add(x, y)\ncount(n)\nstrftime(format)\ntime()\n"},
	}
	for _, tt := range tests {
		got, err := run(tt.args...)
		if tt.want == "" {
			var re *zerorpc.RemoteError
			if !errors.As(err, &re) || re.Name != "TypeError" {
				t.Errorf("%v: got %q, %v; want a TypeError", tt.args, got, err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("%v: got %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
	if _, err := run(addr, "nosuch"); err == nil || err.Error() != "NameError: nosuch" {
		t.Errorf("nosuch: %v", err)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
