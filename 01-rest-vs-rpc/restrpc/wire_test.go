package restrpc

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the byte table in wire.md and wire.zh.md")

// tablePages are the lesson's pages that show the byte table: its second
// page, in both editions. Only the header row is translated.
var tablePages = []struct{ path, header string }{
	{"../wire.md", "| style | wire | 1st call: request | 1st call: response | 2nd call: request | 2nd call: response |"},
	{"../wire.zh.md", "| 风格 | 线路 | 第 1 次调用：请求 | 第 1 次调用：响应 | 第 2 次调用：请求 | 第 2 次调用：响应 |"},
}

const (
	tableBegin = "<!-- bytes:begin -->"
	tableEnd   = "<!-- bytes:end -->"
)

// captureAll records two add(2, 3) calls on one connection, per
// style, each with its server in a process of its own, as on the pages.
func captureAll(t *testing.T) map[Style][]Exchange {
	t.Helper()
	all := map[Style][]Exchange{}
	for _, style := range Styles {
		addr := startServerProcess(t, style)
		ex, err := Capture(t.Context(), style, addr, OpAdd, 2, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		all[style] = ex
	}
	return all
}

// byteTable is the pages' comparison table, made from captures, under
// the given header row.
func byteTable(all map[Style][]Exchange, header string) string {
	var b strings.Builder
	b.WriteString(header + "\n")
	b.WriteString("|---|---|--:|--:|--:|--:|\n")
	for _, style := range Styles {
		ex := all[style]
		fmt.Fprintf(&b, "| `%s` | %s | %d | %d | %d | %d |\n", style, style.Wire(),
			len(ex[0].Sent), len(ex[0].Received), len(ex[1].Sent), len(ex[1].Received))
	}
	return b.String()
}

// The byte table on the lesson's pages is computed: this test measures
// the bytes on the wire and fails, printing the right table, if a page's
// differs. go test ./01-rest-vs-rpc/restrpc -run ByteTable -update
// rewrites them.
func TestREADMEByteTable(t *testing.T) {
	all := captureAll(t)
	for _, page := range tablePages {
		checkTable(t, page.path, byteTable(all, page.header))
	}
}

// checkTable compares the table between the markers of the page at path
// with want, and with -update rewrites it.
func checkTable(t *testing.T, path, want string) {
	t.Helper()
	page, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	begin := bytes.Index(page, []byte(tableBegin))
	end := bytes.Index(page, []byte(tableEnd))
	if begin < 0 || end < begin {
		t.Fatalf("%s lacks %s … %s markers", path, tableBegin, tableEnd)
	}
	begin += len(tableBegin)
	got := strings.TrimSpace(string(page[begin:end]))
	if got == strings.TrimSpace(want) {
		return
	}
	if *update {
		out := append([]byte{}, page[:begin]...)
		out = append(out, "\n"+want...)
		out = append(out, page[end:]...)
		if err := os.WriteFile(path, out, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s: byte table updated", path)
		return
	}
	t.Errorf("%s: byte table is out of date (run with -update); want:\n%s", path, want)
}

// The counts do not change from run to run. The only header whose
// value changes is Date, and its format (RFC 9110's IMF-fixdate) has
// a fixed width, so its length does not change.
func TestByteCountsAreDeterministic(t *testing.T) {
	first := captureAll(t)
	header := tablePages[0].header
	if a, b := byteTable(first, header), byteTable(captureAll(t), header); a != b {
		t.Errorf("two captures differ:\n%s\n%s", a, b)
	}
	for i, ex := range first[REST] {
		dates := dateHeader.FindAll(ex.Received, -1)
		if len(dates) != 1 || !imfFixdate.Match(dates[0]) {
			t.Errorf("call %d: Date headers %q, want one in IMF-fixdate form", i+1, dates)
		}
	}
}

var (
	dateHeader = regexp.MustCompile(`(?m)^Date: [^\r\n]*\r\n`)
	imfFixdate = regexp.MustCompile(`^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3]\d ` +
		`(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} [0-2]\d:[0-5]\d:[0-6]\d GMT\r\n$`)
)

// The second call on a connection is the same request again, except
// for what counts calls: the JSON-RPC id, gob's sequence number, and
// the REST resource's id. Gob's first call also carries the type
// descriptions, which the second does not repeat.
func TestSecondCallDiffersOnlyInCounters(t *testing.T) {
	all := captureAll(t)
	rest, js, gob := all[REST], all[JSONRPC], all[GobRPC]
	if !bytes.Equal(rest[0].Sent, rest[1].Sent) {
		t.Errorf("REST requests differ:\n%q\n%q", rest[0].Sent, rest[1].Sent)
	}
	if got := string(js[1].Sent); got != `{"method":"Calculator.Add","params":[{"x":2,"y":3}],"id":1}`+"\n" {
		t.Errorf("second JSON-RPC request = %q", got)
	}
	if !bytes.Contains(gob[0].Sent, []byte("ServiceMethod")) || bytes.Contains(gob[1].Sent, []byte("ServiceMethod")) {
		t.Errorf("gob: want type descriptions in the first request only:\n%q\n%q", gob[0].Sent, gob[1].Sent)
	}
}

// Capture from the same process gives the same bytes, except gob's
// first reply: one byte longer, as [Capture]'s doc explains.
func TestCaptureInOneProcess(t *testing.T) {
	apart := captureAll(t)
	for _, style := range Styles {
		addr := startServer(t, &Server{Style: style})
		together, err := Capture(t.Context(), style, addr, OpAdd, 2, 3, 2)
		if err != nil {
			t.Fatal(err)
		}
		for i := range together {
			extra := 0
			if style == GobRPC && i == 0 {
				extra = 1
			}
			a, b := apart[style][i], together[i]
			if len(b.Sent) != len(a.Sent) || len(b.Received) != len(a.Received)+extra {
				t.Errorf("%s call %d: %d/%d bytes in one process, %d/%d in two",
					style, i+1, len(b.Sent), len(b.Received), len(a.Sent), len(a.Received))
			}
		}
	}
}

// The dump prints text protocols as lines and gob as hex.
func TestWriteDumpShowsTextAsLinesAndGobAsHex(t *testing.T) {
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
