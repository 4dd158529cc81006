// Decoding reads a <methodCall> or <methodResponse> token by token
// with encoding/xml. Walking the tokens ourselves (instead of
// xml.Unmarshal into tagged structs) lets us be exact about the
// grammar: what may appear where, how deep, and which error to report.
// A server must expect anything on the wire, so every path here ends in
// a value or an error, never a panic.

package xmlrpc

import (
	"encoding/base64"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Call is a decoded <methodCall>: a method name and its params.
type Call struct {
	Method string
	Params []any
}

// DecodeError says why a document was rejected. Code is the fault
// code a server answers with: [CodeNotWellFormed] when the bytes are
// not XML at all, [CodeInvalidXMLRPC] when they are XML but not
// XML-RPC (an unknown element, a bad <int>, …).
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

// DecodeCall reads one <methodCall> document from r.
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
		// <params> is optional: system.listMethods needs none.
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

// DecodeResponse reads one <methodResponse> from r. It returns
// the single result value, or a [*Fault] error if the server sent a
// fault, or a [*DecodeError] if the document is broken.
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

// faultFromValue checks a fault's value has the two members the spec
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

// params reads <param><value>…</value></param> children up to
// the end of <params>.
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

// value reads the inside of a <value> whose start was consumed,
// and its end. A <value> with only text is a string: the spec's
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

// typed reads one typed element (<int>, <struct>, …) whose start
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

// timeLayouts are the forms of dateTime.iso8601 seen in the wild:
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

// structValue reads <member><name>…</name><value>…</value></member>
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

// arrayValue reads <data> and the <value>s inside it.
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
