package pyfmt

import (
	"encoding/json"
	"errors"
	"math"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

type priority string

type payload struct {
	Name  string   `json:"name"`
	Count int      `json:"count"`
	Tags  []string `json:"tags,omitempty"`
	Ratio float64  `json:"ratio"`
}

// pyCase is one Go value and the Python expression for the value it
// stands for; Python computes what both formats must print.
type pyCase struct {
	name string
	v    any
	expr string // a Python expression, or
	raw  string // JSON text, read with json.loads (v is then ignored)
	sort bool   // Printer.SortKeys; pprint.pformat and sort_keys=True
}

var pyCases = []pyCase{
	{name: "None", v: nil, expr: "None"},
	{name: "True", v: true, expr: "True"},
	{name: "False", v: false, expr: "False"},
	{name: "zero", v: 0, expr: "0"},
	{name: "negative int", v: -5, expr: "-5"},
	{name: "int64 max", v: int64(math.MaxInt64), expr: "2**63-1"},
	{name: "uint64 max", v: uint64(math.MaxUint64), expr: "2**64-1"},
	{name: "int8", v: int8(-3), expr: "-3"},
	{name: "float zero", v: 0.0, expr: "0.0"},
	{name: "negative zero", v: math.Copysign(0, -1), expr: "-0.0"},
	{name: "integral float", v: 5.0, expr: "5.0"},
	{name: "float", v: 2.5, expr: "2.5"},
	{name: "a tenth", v: 0.1, expr: "0.1"},
	{name: "a third", v: 1.0 / 3, expr: "1/3"},
	{name: "largest positional", v: 9999999999999998.0, expr: "9999999999999998.0"},
	{name: "1e15", v: 1e15, expr: "1e15"},
	{name: "1e16", v: 1e16, expr: "1e16"},
	{name: "1e22", v: 1e22, expr: "1e22"},
	{name: "1e-4", v: 1e-4, expr: "1e-4"},
	{name: "1e-5", v: 1e-5, expr: "1e-5"},
	{name: "1.5e-5", v: 1.5e-5, expr: "1.5e-5"},
	{name: "max float", v: math.MaxFloat64, expr: "1.7976931348623157e308"},
	{name: "smallest float", v: 5e-324, expr: "5e-324"},
	{name: "inf", v: math.Inf(1), expr: "float('inf')"},
	{name: "minus inf", v: math.Inf(-1), expr: "float('-inf')"},
	{name: "nan", v: math.NaN(), expr: "float('nan')"},
	{name: "float32", v: float32(0.1), expr: "struct.unpack('f', struct.pack('f', 0.1))[0]"},
	{name: "empty str", v: "", expr: "''"},
	{name: "str", v: "hello", expr: "'hello'"},
	{name: "str with a single quote", v: "it's", expr: `"it's"`},
	{name: "str with a double quote", v: `say "hi"`, expr: `'say "hi"'`},
	{name: "str with both quotes", v: `it's "both"`, expr: `'it\'s "both"'`},
	{name: "backslash", v: `back\slash`, expr: `'back\\slash'`},
	{name: "ASCII controls", v: "\t\n\r\x00\x1f\x7f\b\f", expr: `'\t\n\r\x00\x1f\x7f\b\f'`},
	{name: "Latin-1", v: "café ñ", expr: `'caf\u00e9 \u00f1'`},
	{name: "Latin-1 unprintables", v: "\u0085\u00a0\u00ad", expr: `'\x85\xa0\xad'`},
	{name: "line and paragraph separators", v: "\u2028\u2029", expr: `'\u2028\u2029'`},
	{name: "zero width and BOM", v: "\u200b\ufeff", expr: `'\u200b\ufeff'`},
	{name: "CJK", v: "远程调用", expr: `'\u8fdc\u7a0b\u8c03\u7528'`},
	{name: "emoji", v: "🙂😀", expr: `'\U0001f642\U0001f600'`},
	{name: "private use and tag", v: "\ue000\U000e0001", expr: `'\ue000\U000e0001'`},
	{name: "unassigned", v: "\U0010ffff\U0003ffff", expr: `'\U0010ffff\U0003ffff'`},
	{name: "new in Unicode 15", v: "\U00011f00\U0001fae8\u0cf3", expr: `'\U00011f00\U0001fae8\u0cf3'`},
	{name: "replacement character", v: "\ufffd", expr: `'\ufffd'`},
	{name: "invalid UTF-8", v: "a\xffb\xe2\x82", expr: `'a\ufffdb\ufffd\ufffd'`},
	{name: "HTML characters", v: "<a href='x'>&</a>", expr: `"<a href='x'>&</a>"`},
	{name: "bytes", v: []byte("a'b\"c\x00\x7f\x80\xff\t"), expr: `b'a\'b"c\x00\x7f\x80\xff\t'`},
	{name: "bytes with a single quote", v: []byte("it's"), expr: `b"it's"`},
	{name: "empty bytes", v: []byte{}, expr: `b''`},
	{name: "byte array", v: [2]byte{1, 'A'}, expr: `b'\x01A'`},
	{name: "list", v: []any{1, "a", nil, 2.0, true}, expr: `[1, 'a', None, 2.0, True]`},
	{name: "typed slice", v: []int{1, 2}, expr: `[1, 2]`},
	{name: "empty list", v: []string{}, expr: `[]`},
	{name: "nil slice", v: []string(nil), expr: `None`},
	{name: "nested list", v: []any{[]any{}, []any{[]any{"x"}}}, expr: `[[], [['x']]]`},
	{name: "tuple of one", v: Tuple{1}, expr: `(1,)`},
	{name: "empty tuple", v: Tuple{}, expr: `()`},
	{name: "tuple", v: Tuple{"a", 2.5}, expr: `('a', 2.5)`},
	{name: "map", v: map[string]any{"b": 1, "a": []any{"x"}, "é": nil}, expr: `{'a': ['x'], 'b': 1, 'é': None}`},
	{name: "map with int keys", v: map[int]string{10: "x", 2: "y"}, expr: `{2: 'y', 10: 'x'}`},
	{name: "empty map", v: map[string]int{}, expr: `{}`},
	{name: "dict in order", v: Dict{{"z", 1}, {"a", Dict{{"y", 2}, {"b", 3}}}}, expr: `{'z': 1, 'a': {'y': 2, 'b': 3}}`},
	{name: "dict sorted", v: Dict{{"z", 1}, {"a", Dict{{"y", 2}, {"b", 3}}}}, expr: `{'z': 1, 'a': {'y': 2, 'b': 3}}`, sort: true},
	{name: "named string", v: priority("INFO"), expr: `'INFO'`},
	{name: "pointer", v: new(int), expr: `0`},
	{name: "nil pointer", v: (*int)(nil), expr: `None`},
	{name: "json.Number int", v: json.Number("12"), expr: `12`},
	{name: "json.Number big int", v: json.Number("123456789012345678901234567890"), expr: `123456789012345678901234567890`},
	{name: "json.Number minus zero", v: json.Number("-0"), expr: `json.loads('-0')`},
	{name: "json.Number float", v: json.Number("2.50"), expr: `2.5`},
	{name: "json.Number exponent", v: json.Number("1E3"), expr: `1000.0`},
	{name: "json.Number overflow", v: json.Number("1e400"), expr: `json.loads('1e400')`},
	{name: "struct", v: payload{Name: "vm-1", Count: 2, Ratio: 0.5}, expr: `{'name': 'vm-1', 'count': 2, 'ratio': 0.5}`},
	{name: "raw message", v: json.RawMessage(`{"b":[1,2.0,"é"],"a":{}}`), expr: `{'b': [1, 2.0, 'é'], 'a': {}}`},
	{name: "json.loads object", raw: `{"b": [1, 2.0, "\u00e9\ud83d\ude42"], "a": {}, "c": null}`},
	{name: "json.loads repeated key", raw: `{"a": 1, "b": 2, "a": 3}`},
	{name: "json.loads numbers", raw: `[0, -0, 1.0, 1e2, 1E-7, 12345678901234567890, 0.30000000000000004]`},
	{name: "json.loads escapes", raw: `["\/\b\f\n\r\t\"\\", "\u007f\u0000", "<>&"]`},
	{name: "json.loads nested, sorted", raw: `{"z": [{"y": 1, "x": 2}], "a": true}`, sort: true},
}

func TestReprAndJSONMatchPythonOnEveryValueKind(t *testing.T) {
	reqs := make([]pyRequest, len(pyCases))
	for i, c := range pyCases {
		if c.raw != "" {
			reqs[i] = pyRequest{Loads: c.raw, Sort: c.sort}
		} else {
			reqs[i] = pyRequest{Expr: c.expr, Sort: c.sort}
		}
	}
	answers := askPython(t, reqs)
	for i, c := range pyCases {
		t.Run(c.name, func(t *testing.T) {
			p := Printer{SortKeys: c.sort}
			v := c.v
			if c.raw != "" {
				v = json.RawMessage(c.raw)
			}
			want := answers[i]
			if got := p.Repr(v); got != want.Repr {
				t.Errorf("Repr(%#v)\n got %s\nwant %s", v, got, want.Repr)
			}
			if want.JSON == "" {
				return // Python's json refuses it (bytes); see the Go-only tests
			}
			got, err := p.JSON(v)
			if err != nil {
				t.Fatalf("JSON(%#v): %v", v, err)
			}
			if string(got) != want.JSON {
				t.Errorf("JSON(%#v)\n got %s\nwant %s", v, got, want.JSON)
			}
			if c.raw != "" && !c.sort {
				if got, err := ReformatJSON([]byte(c.raw)); err != nil || string(got) != want.JSON {
					t.Errorf("ReformatJSON(%s) = %s, %v; want %s", c.raw, got, err, want.JSON)
				}
			}
		})
	}
}

// FuzzStrMatchesPython gives random strings to both sides: repr() and
// json.dumps() of the str, and repr() of the same bytes. Go reads invalid
// UTF-8 as U+FFFD per bad byte, so Python is given that reading.
func FuzzStrMatchesPython(f *testing.F) {
	for _, c := range pyCases {
		if s, ok := c.v.(string); ok {
			f.Add(s)
		}
	}
	f.Add("\x00\x01\x7f\x80\xff")
	f.Add("'\"\\")
	peer := startPythonPeer(f)
	f.Fuzz(func(t *testing.T, s string) {
		valid := string([]rune(s))
		repr, dumps, bytesRepr := peer.ask(t, valid, []byte(s))
		if got := Str(s); got != repr {
			t.Errorf("Str(%q)\n got %s\nwant %s", s, got, repr)
		}
		if got := Repr(s); got != repr {
			t.Errorf("Repr(%q)\n got %s\nwant %s", s, got, repr)
		}
		if got := string(AppendJSONString(nil, s)); got != dumps {
			t.Errorf("AppendJSONString(%q)\n got %s\nwant %s", s, got, dumps)
		}
		if got := Bytes([]byte(s)); got != bytesRepr {
			t.Errorf("Bytes(%q)\n got %s\nwant %s", s, got, bytesRepr)
		}
	})
}

func TestJSONOfBytesIsTheirText(t *testing.T) {
	// Python's json refuses bytes; a Go []byte decoded from MessagePack
	// or a payload is text, so it is written as a str.
	got, err := JSON(map[string]any{"b": []byte("é\x00")})
	if err != nil || string(got) != `{"b": "\u00e9\u0000"}` {
		t.Errorf("JSON = %s, %v", got, err)
	}
}

func TestCustomPrintsALessonsOwnTypesWhereverTheyAre(t *testing.T) {
	p := Printer{Custom: func(v any) (string, bool) {
		if tm, ok := v.(time.Time); ok {
			return "<DateTime " + tm.Format("20060102T15:04:05") + ">", true
		}
		return "", false
	}}
	tm := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	got := p.Repr(map[string]any{"at": []any{tm}, "n": 1})
	if want := "{'at': [<DateTime 20261121T08:00:00>], 'n': 1}"; got != want {
		t.Errorf("Repr = %s, want %s", got, want)
	}
}

func TestJSONRefusesWhatPythonRefuses(t *testing.T) {
	for name, v := range map[string]any{
		"channel":      make(chan int),
		"function":     func() {},
		"struct key":   map[struct{ A int }]int{{1}: 1},
		"bad number":   json.Number("0x10"),
		"invalid JSON": json.RawMessage(`{"a":`),
	} {
		if got, err := JSON(v); err == nil {
			t.Errorf("%s: JSON = %s, want an error", name, got)
		}
	}
	if _, err := ReformatJSON([]byte(`[1] [2]`)); err == nil {
		t.Error("ReformatJSON of two values: want an error")
	}
}

func TestDeepNestingIsCutNotACrash(t *testing.T) {
	var v any = "end"
	for range MaxDepth + 10 {
		v = []any{v}
	}
	if _, err := JSON(v); !errors.Is(err, ErrTooDeep) {
		t.Errorf("JSON of %d levels: err = %v, want ErrTooDeep", MaxDepth+10, err)
	}
	if got := Repr(v); !strings.Contains(got, "...") {
		t.Errorf("Repr of %d levels does not cut it short", MaxDepth+10)
	}
	self := []any{nil}
	self[0] = self
	if got := Repr(self); !strings.Contains(got, "[...]") {
		t.Errorf("Repr of a list that holds itself = %.40s…", got)
	}
}

func TestAppendJSONStringEqualsJSONOfTheString(t *testing.T) {
	for _, s := range []string{"", "plain", "quote\" back\\slash", "\n\r\t\b\f\x01\x1f\x7f", "café", "🙂", "<&>", "\u2028", "\xff\xfe bad"} {
		j, err := JSON(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := AppendJSONString([]byte("x"), s); string(got) != "x"+string(j) {
			t.Errorf("AppendJSONString(%q) = %s, JSON = %s", s, got[1:], j)
		}
		if !utf8.Valid(j) || strings.ContainsFunc(string(j), func(r rune) bool { return r > 0x7e }) {
			t.Errorf("JSON(%q) = %s is not printable ASCII", s, j)
		}
	}
}

func TestReformatJSONIsIdempotent(t *testing.T) {
	once, err := ReformatJSON([]byte(`{"a":[1,2.5e0,"\u00e9"],"b":{"c":null}}`))
	if err != nil {
		t.Fatal(err)
	}
	twice, err := ReformatJSON(once)
	if err != nil || string(twice) != string(once) {
		t.Errorf("once %s, twice %s (%v)", once, twice, err)
	}
}

// A raw JSON value that is copied as it is (a small scalar already in
// json.dumps's form) must come out as reading and writing it would.
func TestRawScalarsAreCopiedOnlyWhenDumpsWritesThemTheSame(t *testing.T) {
	for _, raw := range []string{
		"5", "-5", "0", "-0", "007", "12345678901234567890123", "1.5", "1e3", "-",
		"true", "false", "null", `""`, `"server01"`, `"a\"b"`, `"é"`, `"\u00e9"`, `"<&>"`, `"a/b"`,
	} {
		got, err := JSON(json.RawMessage(raw))
		if err != nil {
			if raw != "-" && raw != "007" { // not JSON
				t.Errorf("JSON(%s): %v", raw, err)
			}
			continue
		}
		v, err := decodeOrdered([]byte(raw))
		if err != nil {
			t.Fatalf("decodeOrdered(%s): %v", raw, err)
		}
		want, err := JSON(v)
		if err != nil {
			t.Fatalf("JSON(%#v): %v", v, err)
		}
		if string(got) != string(want) {
			t.Errorf("JSON(RawMessage(%s)) = %s, want %s", raw, got, want)
		}
	}
}

// A struct written by the short way (encoding/json's output with spaces
// added) must come out as reading that output and writing it again does.
func TestStructsWrittenTheShortWayMatchTheLongWay(t *testing.T) {
	type inner struct {
		A []int           `json:"a"`
		M map[string]bool `json:"m"`
		P *int            `json:"p"`
	}
	type outer struct {
		X     int     `json:"x"`
		Y     int64   `json:"y"`
		F     float64 `json:"f"`
		S     string  `json:"s"`
		In    inner   `json:"in"`
		Extra any     `json:"extra,omitempty"`
	}
	negZero := math.Copysign(0, -1)
	for _, v := range []any{
		outer{X: 2, Y: -3},
		outer{X: -10, S: "a, b: c", In: inner{A: []int{1, -2, 30}, M: map[string]bool{"t": true, "f": false}}},
		outer{F: 1.5}, outer{F: 3}, outer{F: 1e21}, outer{F: negZero}, outer{F: 1e-7},
		outer{S: `quote " and \ backslash`}, outer{S: "é ü"}, outer{S: "<&>"}, outer{S: "tab\t"},
		outer{Extra: []any{nil, true, "null", map[string]any{"k": []any{}}}},
		outer{Extra: 12345678901234567},
		struct{ N *outer }{},
	} {
		raw, err := marshalGo(v)
		if err != nil {
			t.Fatal(err)
		}
		long, err := decodeOrdered(raw)
		if err != nil {
			t.Fatal(err)
		}
		want, err := JSON(long)
		if err != nil {
			t.Fatal(err)
		}
		got, err := JSON(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("JSON(%+v)\n got %s\nwant %s", v, got, want)
		}
	}
}

// Dumped text is copied as it is, and sorted when keys must be.
func TestDumpedIsCopiedAsItIs(t *testing.T) {
	d := Dumped(`{"b": 1, "a": [1.0, "x"]}`)
	got, err := JSON(Dict{{Key: "payload", Value: d}})
	if err != nil || string(got) != `{"payload": {"b": 1, "a": [1.0, "x"]}}` {
		t.Errorf("JSON = %s, %v", got, err)
	}
	got, err = (&Printer{SortKeys: true}).JSON(d)
	if err != nil || string(got) != `{"a": [1.0, "x"], "b": 1}` {
		t.Errorf("sorted JSON = %s, %v", got, err)
	}
}
