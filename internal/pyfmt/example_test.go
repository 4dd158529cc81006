package pyfmt_test

import (
	"encoding/json"
	"fmt"

	"github.com/rpc-course/rpc-from-0-to-1/internal/pyfmt"
)

// What a decoded zerorpc or XML-RPC result looks like in Python's
// interactive session.
func ExampleRepr() {
	fmt.Println(pyfmt.Repr(map[string]any{"sum": 5, "ok": true, "note": "it's", "raw": []byte{0, 'A'}}))
	fmt.Println(pyfmt.Repr([]any{2.0, 1e16, nil, pyfmt.Tuple{1}}))
	// Output:
	// {'note': "it's", 'ok': True, 'raw': b'\x00A', 'sum': 5}
	// [2.0, 1e+16, None, (1,)]
}

// An oslo.messaging message: keys in the order the Python peer writes
// them, text escaped as json.dumps escapes it.
func ExampleJSON() {
	msg := pyfmt.Dict{
		{Key: "method", Value: "add"},
		{Key: "args", Value: map[string]any{"y": 3, "x": 2}},
		{Key: "_context_user", Value: "José"},
	}
	b, err := pyfmt.JSON(msg)
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"method": "add", "args": {"x": 2, "y": 3}, "_context_user": "Jos\u00e9"}
}

// A payload that arrived as JSON text keeps its keys' order.
func ExampleReformatJSON() {
	b, err := pyfmt.ReformatJSON(json.RawMessage(`{"z":1,"a":[1.0,"🙂"]}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	// Output:
	// {"z": 1, "a": [1.0, "\ud83d\ude42"]}
}
