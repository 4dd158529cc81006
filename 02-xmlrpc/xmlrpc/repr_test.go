package xmlrpc_test

import (
	"bytes"
	"math"
	"regexp"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

// Repr prints a decoded response the way Python's repr prints what
// xmlrpc.client decodes from the same document: both sides read one
// response each and their prints are compared. Two things differ on
// purpose: a DateTime's address (Go has none to show: 0x…), and
// base64, which Go prints as the bytes it holds, as Python does with
// use_builtin_types=True, where a default ServerProxy shows a Binary
// object.
func TestReprPrintsWhatPythonPrintsForTheSameResponse(t *testing.T) {
	type point struct {
		X int     `xmlrpc:"x"`
		Y float64 `xmlrpc:"y"`
	}
	values := []any{
		5, -2147483648, true, nil, "",
		1e6, 2.0, 0.1, 1e16, 1.5e-5, math.MaxFloat64,
		"it's", `say "hi"`, `it's "both"`, `back\slash`,
		"tab\tnew\nline", "bell\x7f", "héllo 中 😀 \u00a0\u200b",
		[]byte("a'b\"c\x00\xff"), []byte("it's"), []byte{},
		time.Date(1998, 7, 17, 14, 8, 55, 0, time.UTC),
		[]any{1, "two", []any{}, nil},
		map[string]any{"b": false, "a": 1.5, "é": map[string]any{}},
		[][]string{{"int"}},
		point{X: 1, Y: 0.5},
	}
	pypeer.Require(t, "xmlrpc.client")
	var docs []string
	for _, v := range values {
		doc, err := xmlrpc.EncodeResponse(v)
		if err != nil {
			t.Fatalf("EncodeResponse(%#v): %v", v, err)
		}
		docs = append(docs, string(doc))
	}
	var want []string
	pypeer.Eval(t, `
import json, sys, xmlrpc.client as x
def builtin(v):
    if isinstance(v, x.Binary):
        return v.data
    if isinstance(v, list):
        return [builtin(e) for e in v]
    if isinstance(v, dict):
        return {k: builtin(e) for k, e in v.items()}
    return v
json.dump([repr(builtin(x.loads(d)[0][0])) for d in json.load(sys.stdin)], sys.stdout)
`, docs, &want)
	if len(want) != len(values) {
		t.Fatalf("python3 answered %d of %d", len(want), len(values))
	}
	address := regexp.MustCompile(`at 0x[0-9a-f]+>`)
	for i, doc := range docs {
		v, err := xmlrpc.DecodeResponse(bytes.NewReader([]byte(doc)))
		if err != nil {
			t.Fatalf("DecodeResponse(%s): %v", doc, err)
		}
		w := address.ReplaceAllString(want[i], "at 0x…>")
		if got := xmlrpc.Repr(v); got != w {
			t.Errorf("Repr of %#v\n got %s\nwant %s", values[i], got, w)
		}
		// A Go value not yet sent prints as it will arrive.
		if got := xmlrpc.Repr(values[i]); got != w {
			t.Errorf("Repr(%#v)\n got %s\nwant %s", values[i], got, w)
		}
	}
}
