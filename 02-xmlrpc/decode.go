// Decoding reads a `<methodCall>` or `<methodResponse>` token by token
// with `encoding/xml`. Walking the tokens ourselves (instead of
// `xml.Unmarshal` into tagged structs) lets us be exact about the
// grammar: what may appear where, how deep, and which error to report.
// A server must expect anything on the wire, so every path here ends in
// a value or an error, never a panic.

package xmlrpc

import (
	"bufio"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// `Call` is a decoded `<methodCall>`: a method name and its params.
type Call struct {
	Method string
	Params []any
}

// `DecodeError` says why a document was rejected. `Code` is the fault
// code a server answers with: `CodeNotWellFormed` when the bytes are
// not XML at all, `CodeInvalidXMLRPC` when they are XML but not
// XML-RPC (an unknown element, a bad `<int>`, …).
type DecodeError struct {
	Code int
	Err  error
}

func (e *DecodeError) Error() string {
	if e.Code == CodeNotWellFormed {
		return "not well-formed XML: " + e.Err.Error()
	}
	return "invalid XML-RPC: " + e.Err.Error()
}

func (e *DecodeError) Unwrap() error { return e.Err }

// `DecodeCall` reads one `<methodCall>` document from `r`.
func DecodeCall(r io.Reader) (*Call, error) {
	p := newParser(r)
	var call Call
	err := p.document("methodCall", func() error {
		if err := p.expectStart("methodName"); err != nil {
			return err
		}
		name, err := p.text()
		if err != nil {
			return err
		}
		if name == "" {
			return errors.New("empty <methodName>")
		}
		call.Method = name
		// `<params>` is optional: `system.listMethods` needs none.
		se, ok, err := p.startOrEnd()
		if err != nil || !ok {
			return err
		}
		if se.Name.Local != "params" {
			return fmt.Errorf("unexpected <%s> in <methodCall>", se.Name.Local)
		}
		if call.Params, err = p.params(); err != nil {
			return err
		}
		return p.end()
	})
	if err != nil {
		return nil, err
	}
	if call.Params == nil {
		call.Params = []any{}
	}
	return &call, nil
}

// `DecodeResponse` reads one `<methodResponse>` from `r`. It returns
// the single result value, or a `*Fault` error if the server sent a
// fault, or a `*DecodeError` if the document is broken.
func DecodeResponse(r io.Reader) (any, error) {
	p := newParser(r)
	var (
		result any
		fault  *Fault
	)
	err := p.document("methodResponse", func() error {
		se, err := p.start()
		if err != nil {
			return err
		}
		switch se.Name.Local {
		case "params":
			params, err := p.params()
			if err != nil {
				return err
			}
			if len(params) != 1 {
				return fmt.Errorf("a response holds exactly one param, got %d", len(params))
			}
			result = params[0]
		case "fault":
			if err := p.expectStart("value"); err != nil {
				return err
			}
			v, err := p.value(0)
			if err != nil {
				return err
			}
			if fault, err = faultFromValue(v); err != nil {
				return err
			}
			if err := p.end(); err != nil {
				return err
			}
		default:
			return fmt.Errorf("unexpected <%s> in <methodResponse>", se.Name.Local)
		}
		return p.end()
	})
	if err != nil {
		return nil, err
	}
	if fault != nil {
		return nil, fault
	}
	return result, nil
}

// `faultFromValue` checks a fault's value has the two members the spec
// requires, with the right types.
func faultFromValue(v any) (*Fault, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("<fault> value is %s, not a struct", typeName(v))
	}
	code, ok := m["faultCode"].(int)
	if !ok {
		return nil, errors.New("<fault> lacks an int faultCode")
	}
	s, ok := m["faultString"].(string)
	if !ok {
		return nil, errors.New("<fault> lacks a string faultString")
	}
	return &Fault{Code: code, String: s}, nil
}

// A `parser` wraps an `xml.Decoder` with the few moves the grammar
// needs: next element start, text content, element end.
type parser struct {
	d *xml.Decoder
}

func newParser(r io.Reader) *parser {
	d := xml.NewDecoder(r)
	d.Strict = true
	d.CharsetReader = charsetReader
	return &parser{d: d}
}

// `document` checks the root element is `root`, runs `body` for its
// children and then makes sure nothing but whitespace follows.
// Errors are sorted into the two `DecodeError` codes here.
func (p *parser) document(root string, body func() error) error {
	err := func() error {
		se, err := p.start()
		if errors.Is(err, io.EOF) {
			return notWellFormed{errors.New("empty document")}
		}
		if err != nil {
			// Only markup may come before the root element.
			return notWellFormed{err}
		}
		if se.Name.Local != root {
			return fmt.Errorf("root element is <%s>, want <%s>", se.Name.Local, root)
		}
		if err := body(); err != nil {
			return err
		}
		// After the root element only whitespace, comments and
		// processing instructions may come.
		for {
			tok, err := p.token()
			if err == io.EOF {
				return nil
			}
			if err != nil {
				return err
			}
			if cd, ok := tok.(xml.CharData); !ok || !isSpace(cd) {
				return notWellFormed{errors.New("content after the root element")}
			}
		}
	}()
	if err == nil {
		return nil
	}
	var syn *xml.SyntaxError
	var nwf notWellFormed
	if errors.As(err, &syn) || errors.As(err, &nwf) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &DecodeError{Code: CodeNotWellFormed, Err: err}
	}
	if errors.Is(err, io.EOF) {
		return &DecodeError{Code: CodeNotWellFormed, Err: io.ErrUnexpectedEOF}
	}
	return &DecodeError{Code: CodeInvalidXMLRPC, Err: err}
}

// `notWellFormed` marks an error as breaking XML itself, not XML-RPC.
type notWellFormed struct{ error }

func (e notWellFormed) Unwrap() error { return e.error }

// `token` returns the next token that matters: comments and processing
// instructions are dropped, a DOCTYPE is refused (we have no use for
// DTDs, and refusing them rules out entity tricks).
func (p *parser) token() (xml.Token, error) {
	for {
		tok, err := p.d.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.Comment, xml.ProcInst:
			continue
		case xml.Directive:
			return nil, notWellFormed{fmt.Errorf("<!%s> is not allowed", firstWord(string(t)))}
		case xml.CharData:
			return t.Copy(), nil
		default:
			return tok, nil
		}
	}
}

// `startOrEnd` skips whitespace and returns the next start element
// (`ok` true) or consumes the parent's end element (`ok` false).
func (p *parser) startOrEnd() (se xml.StartElement, ok bool, err error) {
	for {
		tok, err := p.token()
		if err != nil {
			return se, false, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, true, nil
		case xml.EndElement:
			return se, false, nil
		case xml.CharData:
			if !isSpace(t) {
				return se, false, fmt.Errorf("unexpected text %q", clip(string(t)))
			}
		}
	}
}

// `start` wants a start element next, after optional whitespace.
func (p *parser) start() (xml.StartElement, error) {
	se, ok, err := p.startOrEnd()
	if err == nil && !ok {
		err = errors.New("element ends too early")
	}
	return se, err
}

func (p *parser) expectStart(name string) error {
	se, ok, err := p.startOrEnd()
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("missing <%s>", name)
	}
	if se.Name.Local != name {
		return fmt.Errorf("got <%s>, want <%s>", se.Name.Local, name)
	}
	return nil
}

// `end` wants the current element's end next, after optional
// whitespace. (The decoder itself checks the end tag's name.)
func (p *parser) end() error {
	se, ok, err := p.startOrEnd()
	if err == nil && ok {
		err = fmt.Errorf("unexpected <%s>", se.Name.Local)
	}
	return err
}

// `text` reads an element's character data up to its end tag.
func (p *parser) text() (string, error) {
	var sb strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.CharData:
			sb.Write(t)
		case xml.StartElement:
			return "", fmt.Errorf("unexpected <%s> inside text", t.Name.Local)
		case xml.EndElement:
			return sb.String(), nil
		}
	}
}

// `params` reads `<param><value>…</value></param>` children up to
// the end of `<params>`.
func (p *parser) params() ([]any, error) {
	params := []any{}
	for {
		se, ok, err := p.startOrEnd()
		if err != nil {
			return nil, err
		}
		if !ok {
			return params, nil
		}
		if se.Name.Local != "param" {
			return nil, fmt.Errorf("unexpected <%s> in <params>", se.Name.Local)
		}
		if err := p.expectStart("value"); err != nil {
			return nil, err
		}
		v, err := p.value(0)
		if err != nil {
			return nil, fmt.Errorf("param %d: %w", len(params)+1, err)
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		params = append(params, v)
	}
}

// `value` reads the inside of a `<value>` whose start was consumed,
// and its end. A `<value>` with only text is a string: the spec's
// "if no type is indicated, the type is string".
func (p *parser) value(depth int) (any, error) {
	if depth > maxDepth {
		return nil, fmt.Errorf("values nested deeper than %d levels", maxDepth)
	}
	var text strings.Builder
	for {
		tok, err := p.token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			return text.String(), nil
		case xml.StartElement:
			if !isSpace([]byte(text.String())) {
				return nil, fmt.Errorf("text %q before <%s>", clip(text.String()), t.Name.Local)
			}
			v, err := p.typed(t.Name.Local, depth)
			if err != nil {
				return nil, err
			}
			return v, p.end()
		}
	}
}

// `typed` reads one typed element (`<int>`, `<struct>`, …) whose start
// was consumed, up to and including its end tag.
func (p *parser) typed(name string, depth int) (any, error) {
	switch name {
	case "struct":
		return p.structValue(depth)
	case "array":
		return p.arrayValue(depth)
	case "nil":
		if err := p.end(); err != nil {
			return nil, fmt.Errorf("<nil/> must be empty: %w", err)
		}
		return nil, nil
	}
	s, err := p.text()
	if err != nil {
		return nil, err
	}
	switch name {
	case "string":
		return s, nil
	case "int", "i4", "i8":
		n, err := strconv.ParseInt(strings.TrimSpace(s), 10, 64)
		if err != nil || n < math.MinInt || n > math.MaxInt {
			return nil, fmt.Errorf("bad <%s> %q", name, clip(s))
		}
		return int(n), nil
	case "boolean":
		switch s {
		case "0":
			return false, nil
		case "1":
			return true, nil
		}
		return nil, fmt.Errorf("bad <boolean> %q: want 0 or 1", clip(s))
	case "double":
		f, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
			return nil, fmt.Errorf("bad <double> %q", clip(s))
		}
		return f, nil
	case "dateTime.iso8601":
		return parseTime(strings.TrimSpace(s))
	case "base64":
		b, err := base64.StdEncoding.DecodeString(stripSpace(s))
		if err != nil {
			return nil, fmt.Errorf("bad <base64>: %w", err)
		}
		return b, nil
	}
	return nil, fmt.Errorf("unknown value type <%s>", name)
}

// `timeLayouts` are the forms of `dateTime.iso8601` seen in the wild:
// the spec's (and Python's), with dashes, and without colons.
var timeLayouts = []string{TimeLayout, "2006-01-02T15:04:05", "20060102T150405"}

func parseTime(s string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("bad <dateTime.iso8601> %q: want e.g. 19980717T14:08:55", clip(s))
}

// `structValue` reads `<member><name>…</name><value>…</value></member>`
// children. A repeated name keeps the last value, as a Python dict does.
func (p *parser) structValue(depth int) (any, error) {
	m := map[string]any{}
	for {
		se, ok, err := p.startOrEnd()
		if err != nil {
			return nil, err
		}
		if !ok {
			return m, nil
		}
		if se.Name.Local != "member" {
			return nil, fmt.Errorf("unexpected <%s> in <struct>", se.Name.Local)
		}
		if err := p.expectStart("name"); err != nil {
			return nil, err
		}
		name, err := p.text()
		if err != nil {
			return nil, err
		}
		if err := p.expectStart("value"); err != nil {
			return nil, fmt.Errorf("member %q: %w", clip(name), err)
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, fmt.Errorf("member %q: %w", clip(name), err)
		}
		if err := p.end(); err != nil {
			return nil, err
		}
		m[name] = v
	}
}

// `arrayValue` reads `<data>` and the `<value>`s inside it.
func (p *parser) arrayValue(depth int) (any, error) {
	if err := p.expectStart("data"); err != nil {
		return nil, err
	}
	a := []any{}
	for {
		se, ok, err := p.startOrEnd()
		if err != nil {
			return nil, err
		}
		if !ok {
			break
		}
		if se.Name.Local != "value" {
			return nil, fmt.Errorf("unexpected <%s> in <data>", se.Name.Local)
		}
		v, err := p.value(depth + 1)
		if err != nil {
			return nil, fmt.Errorf("[%d]: %w", len(a), err)
		}
		a = append(a, v)
	}
	return a, p.end()
}

// `charsetReader` lets documents declare `encoding="ISO-8859-1"` (or
// US-ASCII, a subset of it); `encoding/xml` handles UTF-8 itself.
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(r)}, nil
	}
	return nil, notWellFormed{fmt.Errorf("unsupported encoding %q", charset)}
}

// `latin1Reader` turns each Latin-1 byte into its UTF-8 encoding.
type latin1Reader struct {
	r   *bufio.Reader
	buf []byte
}

func (l *latin1Reader) Read(p []byte) (int, error) {
	for len(l.buf) == 0 {
		b, err := l.r.ReadByte()
		if err != nil {
			return 0, err
		}
		l.buf = utf8.AppendRune(l.buf, rune(b))
	}
	n := copy(p, l.buf)
	l.buf = l.buf[n:]
	return n, nil
}

func isSpace(b []byte) bool {
	for _, c := range b {
		if c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return false
		}
	}
	return true
}

func stripSpace(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, s)
}

func firstWord(s string) string {
	s, _, _ = strings.Cut(s, " ")
	return clip(s)
}

// `clip` shortens text quoted in error messages.
func clip(s string) string {
	if len(s) <= 40 {
		return s
	}
	n := 40
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// `typeName` names a decoded value's XML-RPC type, for messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "nil"
	case int:
		return "int"
	case bool:
		return "boolean"
	case string:
		return "string"
	case float64:
		return "double"
	case time.Time:
		return "dateTime.iso8601"
	case []byte:
		return "base64"
	case map[string]any:
		return "struct"
	case []any:
		return "array"
	}
	return fmt.Sprintf("%T", v)
}
