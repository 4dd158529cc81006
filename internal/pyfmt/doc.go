// Package pyfmt prints Go values the way Python prints them, so that a
// lesson's Go program shows what the article's Python session shows and
// puts on the wire what the article's Python peer puts there.
//
// Two of Python's formats matter to the course:
//   - repr(), what the interactive interpreter, pprint and zerorpc's
//     command line print: [Repr], and [Printer] for sorted keys or a
//     lesson's own types (an XML-RPC DateTime);
//   - json.dumps() with its defaults, what oslo.messaging puts on the
//     wire for calls and notifications alike: [JSON] and [AppendJSON],
//     [AppendJSONString] for the many small strings of a message, and
//     [ReformatJSON] for JSON text that arrives from elsewhere.
//
// A Go value becomes the Python value a decoder would have made of it:
//
//	nil, a nil pointer or slice   None (null)
//	bool                          True, False (true, false)
//	int*, uint*                   int
//	float32, float64              float: 2.0, 1e+16, inf, nan (Infinity, NaN)
//	json.Number                   int or float, as json.loads reads it
//	string                        str: 'it\'s' becomes "it's"
//	[]byte                        bytes: b'\x00' (JSON: the bytes as text)
//	slice, array                  list
//	Tuple                         tuple: (1,) (JSON: a list)
//	map                           dict, keys sorted: a Go map has no order
//	Dict                          dict in the order given (sorted with SortKeys)
//	json.RawMessage, a struct,    what encoding/json writes for it,
//	any json.Marshaler            read back as JSON values, keys in order
//
// (A struct goes through encoding/json, so a float field that holds a
// whole number reads back as an int: 5, where Python would write 5.0.
// Use a map or a [Dict] where that matters.)
//
// Python's rules are followed to the letter, because a student puts the
// two outputs side by side and a test compares them byte for byte: a str
// is quoted with ' unless it holds a ' and no ", control and unprintable
// characters are escaped as \x, \u or \U; a float is the shortest decimal
// that reads back the same, in positional form from 1e-4 to 1e16; JSON
// separates with ", " and ": " and escapes everything outside printable
// ASCII as \uXXXX, above U+FFFF as a UTF-16 surrogate pair. Invalid UTF-8
// in a Go string reads as U+FFFD, one for each bad byte.
//
// The package's tests run Debian's /usr/bin/python3 on the same values
// and compare.
package pyfmt
