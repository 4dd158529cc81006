package xmlrpc_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// Unmarshal fills typed Go variables from decoded values, and says
// where and why when a value does not fit.
func TestUnmarshalFillsGoVariablesAndSaysWhereAValueDoesNotFit(t *testing.T) {
	type member struct {
		Name  string    `xmlrpc:"name"`
		Age   int8      `xmlrpc:"age"`
		Tags  []string  `xmlrpc:"tags"`
		When  time.Time `xmlrpc:"when"`
		Data  []byte    `xmlrpc:"data"`
		Score *float64  `xmlrpc:"score"`
		Extra any       `xmlrpc:"extra"`
	}
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	src := map[string]any{
		"name": "Ada", "age": 36, "tags": []any{"a", "b"}, "when": when,
		"data": []byte{1}, "score": 2, "extra": []any{nil}, "unknown": true,
	}
	var m member
	if err := xmlrpc.Unmarshal(src, &m); err != nil {
		t.Fatal(err)
	}
	two := 2.0
	want := member{"Ada", 36, []string{"a", "b"}, when, []byte{1}, &two, []any{nil}}
	if !reflect.DeepEqual(m, want) {
		t.Errorf("got %+v\nwant %+v", m, want)
	}

	var byName map[string]int
	if err := xmlrpc.Unmarshal(map[string]any{"x": 1}, &byName); err != nil || byName["x"] != 1 {
		t.Errorf("map: %v, %v", byName, err)
	}
	var arr [2]uint16
	if err := xmlrpc.Unmarshal([]any{1, 2}, &arr); err != nil || arr != [2]uint16{1, 2} {
		t.Errorf("array: %v, %v", arr, err)
	}
	p := new(int)
	if err := xmlrpc.Unmarshal(nil, &p); err != nil || p != nil {
		t.Errorf("nil into pointer: %v, %v", p, err)
	}

	for _, tc := range []struct {
		src  any
		dst  any
		path string
	}{
		{300, new(int8), ""},
		{-1, new(uint), ""},
		{"x", new(int), ""},
		{1.5, new(int), ""},
		{nil, new(int), ""},
		{1, new(bool), ""},
		{1, new(string), ""},
		{"x", new(time.Time), ""},
		{"x", new([]byte), ""},
		{1e300, new(float32), ""},
		{[]any{1, "x"}, new([]int), "[1]"},
		{[]any{1}, new([2]int), ""},
		{map[string]any{"age": "old"}, new(member), ".age"},
		{map[string]any{"k": []any{"x"}}, new(map[string][]int), ".k[0]"},
		{map[string]any{}, new(map[int]int), ""},
		{1, new(error), ""},
		{1, new(chan int), ""},
	} {
		err := xmlrpc.Unmarshal(tc.src, tc.dst)
		var te *xmlrpc.TypeError
		if !errors.As(err, &te) {
			t.Errorf("%#v into %T: got %v, want a *TypeError", tc.src, tc.dst, err)
			continue
		}
		if te.Path != tc.path {
			t.Errorf("%#v into %T: path %q, want %q (%v)", tc.src, tc.dst, te.Path, tc.path, err)
		}
	}
	if err := xmlrpc.Unmarshal(1, nil); err == nil {
		t.Error("nil destination accepted")
	}
	var n int
	if err := xmlrpc.Unmarshal(1, n); err == nil {
		t.Error("non-pointer destination accepted")
	}
}

func TestParseModeReadsTheModeFlag(t *testing.T) {
	for s, want := range map[string]xmlrpc.Mode{"single": xmlrpc.SingleThreaded, "concurrent": xmlrpc.Concurrent} {
		if m, err := xmlrpc.ParseMode(s); err != nil || m != want || m.String() != s {
			t.Errorf("ParseMode(%q) = %v, %v", s, m, err)
		}
	}
	if _, err := xmlrpc.ParseMode("threads"); err == nil {
		t.Error("unknown mode accepted")
	}
}

// A value that contains itself cannot come off the wire, but a caller
// may build one; Unmarshal stops at the depth limit instead of
// recursing until the stack runs out.
func TestUnmarshalStopsAtTheDepthLimitOnAValueThatContainsItself(t *testing.T) {
	type tree []tree
	loop := []any{nil}
	loop[0] = loop
	var dst tree
	err := xmlrpc.Unmarshal(loop, &dst)
	if err == nil || !strings.Contains(err.Error(), "nested deeper") {
		t.Errorf("Unmarshal of a cyclic value: %v", err)
	}
}
