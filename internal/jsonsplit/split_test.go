package jsonsplit

import (
	"bytes"
	"encoding/json"
	"testing"
)

// FuzzSplit checks the splitters against encoding/json: for any valid
// JSON object or array, Members and Elements find the same
// members and elements as json.Unmarshal does.
//
//	go test -run '^$' -fuzz '^FuzzSplit$' -fuzztime 30s ./internal/jsonsplit
func FuzzSplit(f *testing.F) {
	for _, seed := range []string{
		`{}`, `[]`, ` { "a" : 1 , "b":[1,{"c":"]"}] } `, `[1, "2", [3], {"4": null}]`,
		`{"a\"b":"\\","a\u0062":1,"ab":2}`, `["\"", "\\\"]"]`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		if !json.Valid(raw) {
			return
		}
		// json.Unmarshal accepts null for a map or a slice, and leaves it
		// alone; the splitters only ever see an object or an array.
		first := bytes.TrimLeft(raw, " \t\r\n")[0]
		if m := map[string]json.RawMessage{}; first == '{' && json.Unmarshal(raw, &m) == nil {
			got := map[string]json.RawMessage{}
			if err := Members(raw, func(name []byte, v json.RawMessage) error {
				got[string(name)] = v
				return nil
			}); err != nil {
				t.Fatalf("Members(%s): %v", raw, err)
			}
			assertSameRaw(t, got, m)
		}
		if a := []json.RawMessage{}; first == '[' && json.Unmarshal(raw, &a) == nil {
			var got []json.RawMessage
			if err := Elements(raw, func(v json.RawMessage) error {
				got = append(got, v)
				return nil
			}); err != nil {
				t.Fatalf("Elements(%s): %v", raw, err)
			}
			if len(got) != len(a) {
				t.Fatalf("Elements(%s): %d elements, want %d", raw, len(got), len(a))
			}
			for i := range a {
				if !bytes.Equal(got[i], a[i]) {
					t.Fatalf("Elements(%s): element %d is %s, want %s", raw, i, got[i], a[i])
				}
			}
		}
	})
}

// assertSameRaw compares two sets of members byte for byte.
func assertSameRaw(t *testing.T, got, want map[string]json.RawMessage) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%d members, want %d", len(got), len(want))
	}
	for k, v := range want {
		if !bytes.Equal(got[k], v) {
			t.Fatalf("member %q is %s, want %s", k, got[k], v)
		}
	}
}
