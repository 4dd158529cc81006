// Encoding writes the three documents of the protocol. The layout
// (one element per line) copies what Python's xmlrpc.client.dumps
// produces, so a student can compare the two byte for byte.

package xmlrpc

import (
	"bytes"
	"fmt"
	"strings"
)

const xmlHeader = "<?xml version=\"1.0\"?>\n"

// EncodeCall writes a <methodCall> for method with params,
// each encoded as described in value.go.
func EncodeCall(method string, params ...any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader + "<methodCall>\n<methodName>")
	if err := escapeString(&buf, method); err != nil {
		return nil, fmt.Errorf("method name: %w", err)
	}
	buf.WriteString("</methodName>\n<params>\n")
	for i, p := range params {
		buf.WriteString("<param>\n")
		if err := appendValue(&buf, p); err != nil {
			return nil, fmt.Errorf("param %d: %w", i+1, err)
		}
		buf.WriteString("\n</param>\n")
	}
	buf.WriteString("</params>\n</methodCall>\n")
	return buf.Bytes(), nil
}

// EncodeResponse writes a successful <methodResponse>: exactly
// one value (XML-RPC has no "void"; we send <nil/> for nil).
func EncodeResponse(result any) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader + "<methodResponse>\n<params>\n<param>\n")
	if err := appendValue(&buf, result); err != nil {
		return nil, fmt.Errorf("result: %w", err)
	}
	buf.WriteString("\n</param>\n</params>\n</methodResponse>\n")
	return buf.Bytes(), nil
}

// EncodeFault writes a fault response. It cannot fail: characters
// XML cannot carry are replaced, so an error message taken from bad
// input still reaches the client.
func EncodeFault(f *Fault) []byte {
	var buf bytes.Buffer
	buf.WriteString(xmlHeader + "<methodResponse>\n<fault>\n")
	// The struct is written by hand to keep Python's member order.
	fmt.Fprintf(&buf, "<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>%d</int></value>\n</member>\n", int32(f.Code))
	buf.WriteString("<member>\n<name>faultString</name>\n")
	_ = appendValue(&buf, sanitize(f.String))
	buf.WriteString("\n</member>\n</struct></value>\n</fault>\n</methodResponse>\n")
	return buf.Bytes()
}

// sanitize replaces what escapeString would refuse with U+FFFD.
func sanitize(s string) string {
	return strings.Map(func(r rune) rune {
		if !isXMLChar(r) {
			return '\uFFFD'
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
