// The parser: a thin layer over encoding/xml's token stream with
// the few moves the XML-RPC grammar needs (next start tag, text, end
// tag), and the checks that apply to any document: one root element,
// no DOCTYPE, a known character set.

package xmlrpc

import (
	"bufio"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// A parser wraps an xml.Decoder with the few moves the grammar
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

// document checks the root element is root, runs body for its
// children and then makes sure nothing but whitespace follows.
// Errors are sorted into the two [DecodeError] codes here.
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

// notWellFormed marks an error as breaking XML itself, not XML-RPC.
type notWellFormed struct{ error }

func (e notWellFormed) Unwrap() error { return e.error }

// token returns the next token that matters: comments and processing
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

// startOrEnd skips whitespace and returns the next start element
// (ok true) or consumes the parent's end element (ok false).
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

// start wants a start element next, after optional whitespace.
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

// end wants the current element's end next, after optional
// whitespace. (The decoder itself checks the end tag's name.)
func (p *parser) end() error {
	se, ok, err := p.startOrEnd()
	if err == nil && ok {
		err = fmt.Errorf("unexpected <%s>", se.Name.Local)
	}
	return err
}

// text reads an element's character data up to its end tag.
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

// charsetReader lets documents declare encoding="ISO-8859-1" (or
// US-ASCII, a subset of it); encoding/xml handles UTF-8 itself.
func charsetReader(charset string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(charset) {
	case "iso-8859-1", "latin-1", "latin1", "us-ascii", "ascii":
		return &latin1Reader{r: bufio.NewReader(r)}, nil
	}
	return nil, notWellFormed{fmt.Errorf("unsupported encoding %q", charset)}
}

// latin1Reader turns each Latin-1 byte into its UTF-8 encoding.
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

// clip shortens text quoted in error messages.
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

// typeName names a decoded value's XML-RPC type, for messages.
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
