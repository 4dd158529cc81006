package restvsrpc

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the byte table in README.md")

const (
	tableBegin = "<!-- bytes:begin -->"
	tableEnd   = "<!-- bytes:end -->"
)

// `captureAll` records two add(2, 3) calls on one connection, per style.
func captureAll(t *testing.T) map[Style][]Exchange {
	t.Helper()
	all := map[Style][]Exchange{}
	for _, style := range Styles {
		ex, err := Capture(context.Background(), style, OpAdd, 2, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		all[style] = ex
	}
	return all
}

// `byteTable` is the README's comparison table, made from captures.
func byteTable(all map[Style][]Exchange) string {
	var b strings.Builder
	b.WriteString("| style | wire | 1st call: request | 1st call: response | 2nd call: request | 2nd call: response |\n")
	b.WriteString("|---|---|--:|--:|--:|--:|\n")
	for _, style := range Styles {
		ex := all[style]
		fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d | %d |\n", style, style.Wire(),
			len(ex[0].Sent), len(ex[0].Received), len(ex[1].Sent), len(ex[1].Received))
	}
	return b.String()
}

// The README's byte table is computed: this test measures the bytes on
// the wire and fails, printing the right table, if the README's
// differs. `go test ./01-rest-vs-rpc -run ByteTable -update` rewrites it.
func TestREADMEByteTable(t *testing.T) {
	want := byteTable(captureAll(t))
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(readme, []byte(tableBegin))
	end := bytes.Index(readme, []byte(tableEnd))
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks %s … %s markers", tableBegin, tableEnd)
	}
	begin += len(tableBegin)
	got := strings.TrimSpace(string(readme[begin:end]))
	if got == strings.TrimSpace(want) {
		return
	}
	if *update {
		out := append([]byte{}, readme[:begin]...)
		out = append(out, "\n"+want...)
		out = append(out, readme[end:]...)
		if err := os.WriteFile("README.md", out, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("README.md byte table updated")
		return
	}
	t.Errorf("README.md byte table is out of date (run with -update); want:\n%s", want)
}

// The counts do not change from run to run. The only header whose
// value changes is `Date`, and its format (RFC 9110's IMF-fixdate) has
// a fixed width, so its length does not change.
func TestByteCountsAreDeterministic(t *testing.T) {
	a, b := byteTable(captureAll(t)), byteTable(captureAll(t))
	if a != b {
		t.Errorf("two captures differ:\n%s\n%s", a, b)
	}
	ex, err := Capture(context.Background(), REST, OpAdd, 2, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	dates := dateHeader.FindAll(ex[0].Received, -1)
	if len(dates) != 1 || !imfFixdate.Match(dates[0]) {
		t.Errorf("response Date headers %q, want one in IMF-fixdate form", dates)
	}
}

var (
	dateHeader = regexp.MustCompile(`(?m)^Date: [^\r\n]*\r\n`)
	imfFixdate = regexp.MustCompile(`^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3]\d ` +
		`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} [0-2]\d:[0-5]\d:[0-6]\d GMT\r\n$`)
)

// `normalize` replaces the values that differ between two honest
// captures: the time in `Date`, and the server address in `Host`.
func normalize(p []byte, addr string) []byte {
	p = dateHeader.ReplaceAll(p, []byte("Date: Mon, 02 Jan 2006 15:04:05 GMT\r\n"))
	return bytes.ReplaceAll(p, []byte("Host: "+addr+"\r\n"), []byte("Host: "+REST.DefaultAddr()+"\r\n"))
}

// `Capture` uses an in-memory pipe; a tapped client on a real TCP
// socket records the same bytes, once the `Date` and `Host` values are
// set aside.
func TestCaptureMatchesTCP(t *testing.T) {
	for _, style := range Styles {
		t.Run(string(style), func(t *testing.T) {
			want, err := Capture(context.Background(), style, OpAdd, 2, 3, 2)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := Listen(style, "127.0.0.1:0")
			if err != nil {
				t.Fatal(err)
			}
			defer srv.Close()
			tap := &Tap{}
			c, err := Dialer{Tap: tap}.Dial(context.Background(), style, srv.Addr())
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			for i := range want {
				if _, err := c.Add(context.Background(), 2, 3); err != nil {
					t.Fatal(err)
				}
				got := tap.Take()
				if !bytes.Equal(normalize(got.Sent, srv.Addr()), normalize(want[i].Sent, "")) {
					t.Errorf("call %d sent\n%q\nover TCP, but\n%q\nover the pipe", i+1, got.Sent, want[i].Sent)
				}
				if !bytes.Equal(normalize(got.Received, ""), normalize(want[i].Received, "")) {
					t.Errorf("call %d received\n%q\nover TCP, but\n%q\nover the pipe", i+1, got.Received, want[i].Received)
				}
			}
		})
	}
}

// The dump prints text protocols as lines and gob as hex.
func TestWriteDump(t *testing.T) {
	var b strings.Builder
	Exchange{Sent: []byte("GET / HTTP/1.1\r\n\r\n"), Received: []byte{0x03, 0xff, 0x00}}.WriteDump(&b)
	want := "--> client to server, 18 bytes\n" +
		"    GET / HTTP/1.1\\r\\n\n" +
		"    \\r\\n\n" +
		"<-- server to client, 3 bytes\n" +
		"    00000000  03 ff 00                                          |...|\n"
	if b.String() != want {
		t.Errorf("dump =\n%s\nwant\n%s", b.String(), want)
	}
}
