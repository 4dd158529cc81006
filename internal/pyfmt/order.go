package pyfmt

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"slices"
)

// anyItem is one key and value of a dict about to be printed; a Go map's
// keys may be of any type.
type anyItem struct {
	key   any
	value any
}

// sortedMap lists a map's entries with the keys in order: numbers by
// value, then strings by code point (Go compares UTF-8 bytes, which is
// the same order), then anything else by its repr.
func sortedMap(rv reflect.Value) []anyItem {
	items := make([]anyItem, 0, rv.Len())
	iter := rv.MapRange()
	for iter.Next() {
		items = append(items, anyItem{iter.Key().Interface(), iter.Value().Interface()})
	}
	slices.SortFunc(items, func(a, b anyItem) int { return compareKeys(a.key, b.key) })
	return items
}

// sortedDict returns a copy of d with its keys sorted.
func sortedDict(d Dict) Dict {
	s := slices.Clone(d)
	slices.SortStableFunc(s, func(a, b Item) int { return cmp.Compare(a.Key, b.Key) })
	return s
}

func dictItems(d Dict) []anyItem {
	items := make([]anyItem, len(d))
	for i, it := range d {
		items[i] = anyItem{it.Key, it.Value}
	}
	return items
}

func compareKeys(a, b any) int {
	ka, kb := keyRank(a), keyRank(b)
	if ka.rank != kb.rank {
		return cmp.Compare(ka.rank, kb.rank)
	}
	switch ka.rank {
	case 0:
		return cmp.Compare(ka.num, kb.num)
	case 1:
		return cmp.Compare(ka.str, kb.str)
	}
	return cmp.Compare(Repr(a), Repr(b))
}

type rankedKey struct {
	rank int // 0 number or bool, 1 string, 2 anything else
	num  float64
	str  string
}

func keyRank(k any) rankedKey {
	if k == nil {
		return rankedKey{rank: 2}
	}
	rv := reflect.ValueOf(k)
	switch rv.Kind() {
	case reflect.Bool:
		if rv.Bool() {
			return rankedKey{num: 1}
		}
		return rankedKey{}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return rankedKey{num: float64(rv.Int())}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return rankedKey{num: float64(rv.Uint())}
	case reflect.Float32, reflect.Float64:
		return rankedKey{num: rv.Float()}
	case reflect.String:
		return rankedKey{rank: 1, str: rv.String()}
	}
	return rankedKey{rank: 2}
}

// marshalGo is encoding/json's text for v, without its HTML escaping
// (Python never escapes <, > and &).
func marshalGo(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

// frame is one object or array being read by decodeOrdered.
type frame struct {
	isObject bool
	object   Dict
	index    map[string]int // key → position in object
	key      string
	haveKey  bool
	array    []any
}

// decodeOrdered reads JSON text as json.loads does, into [Dict] (keys in
// the order they came; a repeated key keeps its first place and its last
// value), []any, string, [json.Number], bool and nil.
func decodeOrdered(raw []byte) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var stack []*frame
	for {
		tok, err := dec.Token()
		if err != nil {
			if err == io.EOF {
				err = io.ErrUnexpectedEOF
			}
			return nil, err
		}
		var v any
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{':
				stack = append(stack, &frame{isObject: true, object: Dict{}, index: map[string]int{}})
				continue
			case '[':
				stack = append(stack, &frame{array: []any{}})
				continue
			}
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if top.isObject {
				v = top.object
			} else {
				v = top.array
			}
		default:
			v = t
		}
		if len(stack) == 0 {
			if _, err := dec.Token(); err != io.EOF {
				return nil, errors.New("extra data after the JSON value")
			}
			return v, nil
		}
		stack[len(stack)-1].add(v)
	}
}

func (f *frame) add(v any) {
	switch {
	case !f.isObject:
		f.array = append(f.array, v)
	case !f.haveKey:
		f.key, f.haveKey = v.(string), true
	default:
		if i, ok := f.index[f.key]; ok {
			f.object[i].Value = v
		} else {
			f.index[f.key] = len(f.object)
			f.object = append(f.object, Item{f.key, v})
		}
		f.haveKey = false
	}
}

// parseNumber reads a JSON number as json.loads does: an int (returned
// as its canonical decimal text) or a float.
func parseNumber(n json.Number) (any, error) {
	s := string(n)
	if !validNumber(s) {
		return nil, fmt.Errorf("%q is not a JSON number", s)
	}
	if i, err := n.Int64(); err == nil {
		return fmt.Sprint(i), nil
	}
	for _, c := range s {
		if c == '.' || c == 'e' || c == 'E' {
			f, _ := n.Float64() // out of range: ±Inf, as Python's float() gives
			return f, nil
		}
	}
	return s, nil // an int beyond int64: digits as they are
}

// validNumber checks the JSON number grammar: -?int frac? exp?.
func validNumber(s string) bool {
	i := 0
	digits := func() int {
		start := i
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		return i - start
	}
	if i < len(s) && s[i] == '-' {
		i++
	}
	start := i
	if n := digits(); n == 0 || (n > 1 && s[start] == '0') {
		return false
	}
	if i < len(s) && s[i] == '.' {
		i++
		if digits() == 0 {
			return false
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if digits() == 0 {
			return false
		}
	}
	return i == len(s)
}
