// Package jsonsplit splits JSON that is known to be valid. Once
// json.Valid has accepted a body, finding where each member of an object
// or element of an array starts and ends needs no decoder: count
// brackets, skip strings. The parts are slices of the body itself, so a
// request padded with a hundred thousand members costs one pass over its
// bytes, not a hundred thousand allocations, and an object's members
// come in the order they were written, which a map would lose.
//
// Lesson 03's server splits JSON-RPC batches and parameters with it;
// lesson 07's listener reads a notification's keys in order.
package jsonsplit

import (
	"encoding/json"
	"errors"
	"unicode/utf8"
)

// ErrNotJSON is what the splitters say of text that is not the JSON
// value they expect. Their callers validate every body first, so it
// only shows when they are misused.
var ErrNotJSON = errors.New("not the expected JSON value")

// Members calls fn with the name and the raw value of each member
// of the JSON object raw, in order, and stops at the first error fn
// returns. Names come unquoted; a name written with escapes is decoded.
func Members(raw []byte, fn func(name []byte, value json.RawMessage) error) error {
	return eachPart(raw, '{', '}', func(part []byte) error {
		n := stringLen(part)
		if n < 2 || part[0] != '"' {
			return ErrNotJSON
		}
		name, rest := part[:n], skipSpace(part[n:])
		if len(rest) == 0 || rest[0] != ':' {
			return ErrNotJSON
		}
		value := skipSpace(rest[1:])
		if len(value) == 0 {
			return ErrNotJSON
		}
		return fn(Unquote(name), value)
	})
}

// Elements calls fn with each element of the JSON array raw, in
// order, and stops at the first error fn returns.
func Elements(raw []byte, fn func(value json.RawMessage) error) error {
	return eachPart(raw, '[', ']', func(part []byte) error {
		if len(part) == 0 {
			return ErrNotJSON
		}
		return fn(part)
	})
}

// eachPart calls fn with each comma-separated part of the container
// raw, which opens with open and closes with closing, without the
// spaces around the part.
func eachPart(raw []byte, open, closing byte, fn func(part []byte) error) error {
	raw = skipSpace(raw)
	if len(raw) < 2 || raw[0] != open {
		return ErrNotJSON
	}
	rest := skipSpace(raw[1:])
	if len(rest) > 0 && rest[0] == closing {
		return nil // empty
	}
	for len(rest) > 0 {
		n := partLen(rest)
		if err := fn(trimSpaceRight(rest[:n])); err != nil {
			return err
		}
		if n == len(rest) {
			return ErrNotJSON
		}
		if rest[n] == closing {
			return nil
		}
		rest = skipSpace(rest[n+1:]) // past the comma
	}
	return ErrNotJSON
}

// partLen is the length of b up to the comma or closing bracket that
// ends its first part, skipping strings and nested containers.
func partLen(b []byte) int {
	depth, inString := 0, false
	for i := 0; i < len(b); i++ {
		c := b[i]
		switch {
		case inString:
			if c == '\\' {
				i++
			} else if c == '"' {
				inString = false
			}
		case c == '"':
			inString = true
		case c == '[' || c == '{':
			depth++
		case c == ']' || c == '}':
			if depth == 0 {
				return i
			}
			depth--
		case c == ',' && depth == 0:
			return i
		}
	}
	return len(b)
}

// stringLen is the length of the JSON string at the start of b, quotes
// included, or 0 if it does not end.
func stringLen(b []byte) int {
	for i := 1; i < len(b); i++ {
		switch b[i] {
		case '\\':
			i++
		case '"':
			return i + 1
		}
	}
	return 0
}

// Unquote turns a JSON string, quotes included, into its bytes, as
// encoding/json would.
// Plain ASCII names, almost all of them, are returned as a slice of the
// input; escapes and other bytes (encoding/json replaces invalid UTF-8)
// take the decoder.
func Unquote(s []byte) []byte {
	inner := s[1 : len(s)-1]
	for _, c := range inner {
		if c == '\\' || c >= utf8.RuneSelf {
			var out string
			if json.Unmarshal(s, &out) != nil {
				return inner
			}
			return []byte(out)
		}
	}
	return inner
}

// isSpace reports whether c is JSON whitespace.
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// skipSpace drops the whitespace at the start of b.
func skipSpace(b []byte) []byte {
	for len(b) > 0 && isSpace(b[0]) {
		b = b[1:]
	}
	return b
}

// trimSpaceRight drops the whitespace at the end of b.
func trimSpaceRight(b []byte) []byte {
	for len(b) > 0 && isSpace(b[len(b)-1]) {
		b = b[:len(b)-1]
	}
	return b
}
