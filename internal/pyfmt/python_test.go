package pyfmt

import (
	"bufio"
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"sync"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// askPython evaluates each request in one Debian /usr/bin/python3 and
// returns repr() and json.dumps() of the result (json is "" when Python's
// json refuses the value, as it refuses bytes). A request is either an
// expression (expr) or JSON text for json.loads (loads); sort asks for
// pprint's sorted repr and json.dumps(sort_keys=True).
func askPython(t *testing.T, reqs []pyRequest) []pyAnswer {
	t.Helper()
	pypeer.Require(t, "json", "pprint")
	var answers []pyAnswer
	pypeer.Eval(t, `
import json, math, pprint, struct, sys
out = []
for req in json.load(sys.stdin):
    v = json.loads(req["loads"]) if "loads" in req else eval(req["expr"])
    if req.get("sort"):
        r = pprint.pformat(v, width=10**9)
    else:
        r = repr(v)
    try:
        j = json.dumps(v, sort_keys=bool(req.get("sort")))
    except (TypeError, ValueError):
        j = ""
    out.append({"repr": r, "json": j})
json.dump(out, sys.stdout)
`, reqs, &answers)
	if len(answers) != len(reqs) {
		t.Fatalf("python3 answered %d of %d", len(answers), len(reqs))
	}
	return answers
}

type pyRequest struct {
	Expr  string `json:"expr,omitempty"`
	Loads string `json:"loads,omitempty"`
	Sort  bool   `json:"sort,omitempty"`
}

type pyAnswer struct {
	Repr string `json:"repr"`
	JSON string `json:"json"`
}

// pythonPeer is one python3 that answers a line per string: repr() and
// json.dumps() of it as a str, and repr() of its bytes. The fuzz target
// asks it thousands of times, so it is started once, not per input.
type pythonPeer struct {
	mu  sync.Mutex
	in  io.WriteCloser
	out *bufio.Scanner
}

func startPythonPeer(f *testing.F) *pythonPeer {
	f.Helper()
	pypeer.Require(f, "json")
	// Not f.Context(): the peer must outlive this function and serve
	// every input; the cleanup below ends it.
	cmd := pypeer.Command(context.Background(), "-c", `
import json, sys
for line in sys.stdin:
    req = json.loads(line)
    s, b = req["s"], bytes.fromhex(req["b"])
    print(json.dumps([repr(s), json.dumps(s), repr(b)]), flush=True)
`)
	in, err := cmd.StdinPipe()
	if err != nil {
		f.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		f.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		f.Fatal(err)
	}
	f.Cleanup(func() {
		in.Close() // python3 ends at the end of its input
		_ = cmd.Wait()
	})
	sc := bufio.NewScanner(out)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<24)
	return &pythonPeer{in: in, out: sc}
}

// ask returns Python's repr(s), json.dumps(s) and repr(s.encode()) for
// the valid UTF-8 string s and the bytes b.
func (p *pythonPeer) ask(t *testing.T, s string, b []byte) (repr, dumps, bytesRepr string) {
	t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	line, err := json.Marshal(map[string]string{"s": s, "b": hex.EncodeToString(b)})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.in.Write(append(line, '\n')); err != nil {
		t.Fatalf("write to python3: %v", err)
	}
	if !p.out.Scan() {
		t.Fatalf("python3 did not answer: %v", p.out.Err())
	}
	var got [3]string
	if err := json.Unmarshal(p.out.Bytes(), &got); err != nil {
		t.Fatalf("python3 answered %q: %v", p.out.Bytes(), err)
	}
	return got[0], got[1], got[2]
}
