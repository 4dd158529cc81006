// Python writes JSON a little differently from Go: json.dumps puts a
// space after : and , and escapes every non-ASCII character as
// \uXXXX. oslo.messaging uses json.dumps, so to write messages
// byte for byte as oslo does we let encoding/json do the work and
// then reformat its output.

package notify

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// pyMarshal encodes v like Python's json.dumps(v).
func pyMarshal(v any) ([]byte, error) {
	// SetEscapeHTML(false) keeps <, > and & as they are;
	// Go escapes them by default, Python never does.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return pyFormat(bytes.TrimSuffix(buf.Bytes(), []byte("\n"))), nil
}

// pyFormat rewrites valid JSON text in Python's style: whitespace
// between tokens removed, then ": " and ", " as separators, and
// non-ASCII runes in strings escaped (UTF-16 surrogate pairs above
// U+FFFF, as Python does). Running it twice changes nothing.
func pyFormat(in []byte) []byte {
	out := make([]byte, 0, len(in)+len(in)/8)
	inString, escaped := false, false
	for i := 0; i < len(in); {
		c := in[i]
		if inString {
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			case c >= utf8.RuneSelf:
				r, size := utf8.DecodeRune(in[i:])
				out = appendPyEscape(out, r)
				i += size
				continue
			}
			out = append(out, c)
			i++
			continue
		}
		switch c {
		case ' ', '\t', '\n', '\r':
		case '"':
			inString = true
			out = append(out, c)
		case ':':
			out = append(out, ':', ' ')
		case ',':
			out = append(out, ',', ' ')
		default:
			out = append(out, c)
		}
		i++
	}
	return out
}

// appendPyEscape writes r as Python's ensure_ascii does.
func appendPyEscape(out []byte, r rune) []byte {
	if r > 0xFFFF {
		r -= 0x10000
		out = appendU4(out, 0xD800+(r>>10))
		return appendU4(out, 0xDC00+(r&0x3FF))
	}
	return appendU4(out, r)
}

// appendU4 writes \uXXXX with lower-case hex digits, like Python.
func appendU4(out []byte, r rune) []byte {
	const hexDigits = "0123456789abcdef"
	return append(out, '\\', 'u',
		hexDigits[r>>12&0xF], hexDigits[r>>8&0xF], hexDigits[r>>4&0xF], hexDigits[r&0xF])
}

// appendPyString writes s as a JSON string the way json.dumps
// does; it is the hot path of encoding a message, so it avoids
// going through encoding/json for the many small strings.
func appendPyString(out []byte, s string) []byte {
	out = append(out, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			switch {
			case c == '"' || c == '\\':
				out = append(out, '\\', c)
			case c == '\n':
				out = append(out, '\\', 'n')
			case c == '\r':
				out = append(out, '\\', 'r')
			case c == '\t':
				out = append(out, '\\', 't')
			case c == '\b':
				out = append(out, '\\', 'b')
			case c == '\f':
				out = append(out, '\\', 'f')
			case c < 0x20:
				out = appendU4(out, rune(c))
			default:
				out = append(out, c)
			}
			i++
			continue
		}
		// Invalid UTF-8 becomes U+FFFD, as encoding/json does.
		r, size := utf8.DecodeRuneInString(s[i:])
		out = appendPyEscape(out, r)
		i += size
	}
	return append(out, '"')
}
