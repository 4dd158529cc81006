// Printing a decoded value: [Repr] writes it the way Python's repr
// would show the same value, so the Go client's output reads like the
// article's interactive session (>>> server.add(2, 3) → 5).

package xmlrpc

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Repr formats a decoded value: 5, 'hi', [1, 2],
// {'a': True}, None, b'\x00', <DateTime 20261121T08:00:00>.
func Repr(v any) string {
	var sb strings.Builder
	writeRepr(&sb, v)
	return sb.String()
}

func writeRepr(sb *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		sb.WriteString("None")
	case bool:
		if v {
			sb.WriteString("True")
		} else {
			sb.WriteString("False")
		}
	case int:
		sb.WriteString(strconv.Itoa(v))
	case float64:
		s := strconv.FormatFloat(v, 'g', -1, 64)
		if !strings.ContainsAny(s, ".eIN") {
			s += ".0"
		}
		sb.WriteString(s)
	case string:
		sb.WriteString("'" + strings.ReplaceAll(strings.ReplaceAll(v, `\`, `\\`), "'", `\'`) + "'")
	case []byte:
		sb.WriteString("b" + strconv.QuoteToASCII(string(v)))
	case time.Time:
		sb.WriteString("<DateTime " + v.Format(TimeLayout) + ">")
	case []any:
		sb.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeRepr(sb, e)
		}
		sb.WriteByte(']')
	case map[string]any:
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		sb.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				sb.WriteString(", ")
			}
			writeRepr(sb, k)
			sb.WriteString(": ")
			writeRepr(sb, v[k])
		}
		sb.WriteByte('}')
	default:
		// Any other Go value is shown as it would arrive: encoded
		// and decoded again (a []string becomes a list).
		doc, err := EncodeResponse(v)
		if err == nil {
			if d, err := DecodeResponse(bytes.NewReader(doc)); err == nil {
				writeRepr(sb, d)
				return
			}
		}
		fmt.Fprintf(sb, "%v", v)
	}
}
