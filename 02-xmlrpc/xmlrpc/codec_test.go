package xmlrpc_test

import (
	"bytes"
	"errors"
	"math"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// A call written by Python's xmlrpc.client.dumps decodes to the Go
// types value.go promises, every type at once.
func TestDecodeCallFromPython(t *testing.T) {
	call, err := xmlrpc.DecodeCall(bytes.NewReader(mustRead(t, "testdata/python_call.xml")))
	if err != nil {
		t.Fatal(err)
	}
	b := make([]byte, 100)
	for i := range b {
		b[i] = byte(i)
	}
	want := &xmlrpc.Call{Method: "echo", Params: []any{
		42, true, "a<b & c", 1.5,
		time.Date(1998, 7, 17, 14, 8, 55, 0, time.UTC),
		b,
		map[string]any{"k": []any{1, 2}, "s": "x"},
		[]any{},
		nil,
	}}
	if !reflect.DeepEqual(call, want) {
		t.Errorf("got  %#v\nwant %#v", call, want)
	}
}

func TestDecodeResponseFromPython(t *testing.T) {
	v, err := xmlrpc.DecodeResponse(bytes.NewReader(mustRead(t, "testdata/python_response.xml")))
	if err != nil {
		t.Fatal(err)
	}
	if want := map[string]any{"sum": 5, "ok": false}; !reflect.DeepEqual(v, want) {
		t.Errorf("got %#v, want %#v", v, want)
	}

	_, err = xmlrpc.DecodeResponse(bytes.NewReader(mustRead(t, "testdata/python_fault.xml")))
	var f *xmlrpc.Fault
	if !errors.As(err, &f) || f.Code != 1 || !strings.Contains(f.String, "by zero") {
		t.Errorf("fault: got %v", err)
	}
}

// The spec's rule for <value> without a type element: a string,
// kept exactly (spaces too). Whitespace around a typed element is
// only layout.
func TestUntypedValueIsString(t *testing.T) {
	doc := `<methodCall><methodName>m</methodName><params>
<param><value>  untyped  </value></param>
<param><value></value></param>
<param><value>
   <int> 7 </int>
</value></param>
<param><value><i4>-3</i4></value></param>
<param><value><i8>5000000000</i8></value></param>
<param><value><string>  kept  </string></value></param>
</params></methodCall>`
	call, err := xmlrpc.DecodeCall(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	want := []any{"  untyped  ", "", 7, -3, 5000000000, "  kept  "}
	if !reflect.DeepEqual(call.Params, want) {
		t.Errorf("got %#v, want %#v", call.Params, want)
	}
}

// A call without <params> is allowed, and namespaced <ex:nil/>
// (Apache's spelling) is the same as <nil/>.
func TestDecodeAcceptsMissingParamsAndNamespacedNil(t *testing.T) {
	call, err := xmlrpc.DecodeCall(strings.NewReader(`<?xml version="1.0"?><methodCall><methodName>system.listMethods</methodName></methodCall>`))
	if err != nil || call.Method != "system.listMethods" || len(call.Params) != 0 {
		t.Errorf("no params: %#v, %v", call, err)
	}
	doc := `<methodResponse xmlns:ex="http://ws.apache.org/xmlrpc/namespaces/extensions"><params><param><value><ex:nil/></value></param></params></methodResponse>`
	v, err := xmlrpc.DecodeResponse(strings.NewReader(doc))
	if err != nil || v != nil {
		t.Errorf("ex:nil: %#v, %v", v, err)
	}
	// Latin-1 documents are converted: é is byte 0xE9 there.
	latin := "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodResponse><params><param><value>caf\xe9</value></param></params></methodResponse>"
	v, err = xmlrpc.DecodeResponse(strings.NewReader(latin))
	if err != nil || v != "café" {
		t.Errorf("latin-1: %#v, %v", v, err)
	}
	for _, layout := range []string{"19980717T14:08:55", "1998-07-17T14:08:55", "19980717T140855"} {
		doc := "<methodResponse><params><param><value><dateTime.iso8601>" + layout + "</dateTime.iso8601></value></param></params></methodResponse>"
		v, err := xmlrpc.DecodeResponse(strings.NewReader(doc))
		if want := time.Date(1998, 7, 17, 14, 8, 55, 0, time.UTC); err != nil || v != want {
			t.Errorf("%s: %v, %v", layout, v, err)
		}
	}
}

// Broken documents are refused with the fault code the server will
// send: -32700 when the XML itself is broken, -32600 when it is XML
// but not XML-RPC.
func TestDecodeRefusesBrokenDocumentsWithTheServersFaultCode(t *testing.T) {
	call := func(params string) string {
		return "<methodCall><methodName>m</methodName><params>" + params + "</params></methodCall>"
	}
	value := func(v string) string { return call("<param><value>" + v + "</value></param>") }
	deep := strings.Repeat("<value><array><data>", 150) + strings.Repeat("</data></array></value>", 150)
	cases := []struct {
		name, doc string
		code      int
	}{
		{"empty", "", xmlrpc.CodeNotWellFormed},
		{"not xml", "hello", xmlrpc.CodeNotWellFormed},
		{"unclosed", "<methodCall><methodName>m</methodName>", xmlrpc.CodeNotWellFormed},
		{"mismatched tag", "<methodCall><methodName>m</methodCall>", xmlrpc.CodeNotWellFormed},
		{"bad entity", value("&bogus;"), xmlrpc.CodeNotWellFormed},
		{"doctype", `<!DOCTYPE x [<!ENTITY a "aaaa">]>` + value("&a;"), xmlrpc.CodeNotWellFormed},
		{"unknown charset", `<?xml version="1.0" encoding="EBCDIC"?>` + value("x"), xmlrpc.CodeNotWellFormed},
		{"two roots", value("x") + value("x"), xmlrpc.CodeNotWellFormed},
		{"wrong root", "<methodResponse/>", xmlrpc.CodeInvalidXMLRPC},
		{"no method name", "<methodCall><params/></methodCall>", xmlrpc.CodeInvalidXMLRPC},
		{"empty method name", "<methodCall><methodName></methodName></methodCall>", xmlrpc.CodeInvalidXMLRPC},
		{"stray element", call("<foo/>"), xmlrpc.CodeInvalidXMLRPC},
		{"param without value", call("<param></param>"), xmlrpc.CodeInvalidXMLRPC},
		{"two values", call("<param><value>1</value><value>2</value></param>"), xmlrpc.CodeInvalidXMLRPC},
		{"unknown type", value("<float>1</float>"), xmlrpc.CodeInvalidXMLRPC},
		{"bad int", value("<int>12a</int>"), xmlrpc.CodeInvalidXMLRPC},
		{"int too big", value("<i8>99999999999999999999</i8>"), xmlrpc.CodeInvalidXMLRPC},
		{"bad boolean", value("<boolean>true</boolean>"), xmlrpc.CodeInvalidXMLRPC},
		{"bad double", value("<double>one</double>"), xmlrpc.CodeInvalidXMLRPC},
		{"nan", value("<double>NaN</double>"), xmlrpc.CodeInvalidXMLRPC},
		{"bad date", value("<dateTime.iso8601>yesterday</dateTime.iso8601>"), xmlrpc.CodeInvalidXMLRPC},
		{"bad base64", value("<base64>!!!</base64>"), xmlrpc.CodeInvalidXMLRPC},
		{"text and type", value("x<int>1</int>"), xmlrpc.CodeInvalidXMLRPC},
		{"element in int", value("<int><b>1</b></int>"), xmlrpc.CodeInvalidXMLRPC},
		{"nil with text", value("<nil>x</nil>"), xmlrpc.CodeInvalidXMLRPC},
		{"member without name", value("<struct><member><value>1</value></member></struct>"), xmlrpc.CodeInvalidXMLRPC},
		{"member without value", value("<struct><member><name>a</name></member></struct>"), xmlrpc.CodeInvalidXMLRPC},
		{"array without data", value("<array><value>1</value></array>"), xmlrpc.CodeInvalidXMLRPC},
		{"too deep", call("<param>" + deep + "</param>"), xmlrpc.CodeInvalidXMLRPC},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := xmlrpc.DecodeCall(strings.NewReader(c.doc))
			var de *xmlrpc.DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("got %v, want a *DecodeError", err)
			}
			if de.Code != c.code {
				t.Errorf("code %d (%v), want %d", de.Code, err, c.code)
			}
		})
	}
}

func TestDecodeResponseRefusesBrokenReplies(t *testing.T) {
	for name, doc := range map[string]string{
		"two params":       "<methodResponse><params><param><value>1</value></param><param><value>2</value></param></params></methodResponse>",
		"no params":        "<methodResponse><params></params></methodResponse>",
		"fault not struct": "<methodResponse><fault><value>x</value></fault></methodResponse>",
		"fault no code":    "<methodResponse><fault><value><struct><member><name>faultString</name><value>x</value></member></struct></value></fault></methodResponse>",
		"empty":            "<methodResponse/>",
	} {
		_, err := xmlrpc.DecodeResponse(strings.NewReader(doc))
		var de *xmlrpc.DecodeError
		if !errors.As(err, &de) {
			t.Errorf("%s: got %v, want a *DecodeError", name, err)
		}
	}
}

// Every Go value that XML-RPC can carry comes back equal after a trip
// through the encoder and the decoder.
func TestEveryCarriableValueSurvivesARoundTrip(t *testing.T) {
	when := time.Date(2026, 11, 21, 8, 0, 0, 0, time.UTC)
	cases := []struct {
		in, want any
	}{
		{42, 42},
		{int64(math.MinInt32), math.MinInt32},
		{uint8(7), 7},
		{true, true},
		{false, false},
		{"", ""},
		{"<a href='x'>&amp;</a>\r\n\t é 中 😀", "<a href='x'>&amp;</a>\r\n\t é 中 😀"},
		{3.0, 3.0},
		{-1e-300, -1e-300},
		{math.MaxFloat64, math.MaxFloat64},
		{float32(0.5), 0.5},
		{when, when},
		{[]byte{0, 1, 2, 255}, []byte{0, 1, 2, 255}},
		{[]byte{}, []byte{}},
		{[]int{1, 2}, []any{1, 2}},
		{[2]string{"a", "b"}, []any{"a", "b"}},
		{[]any{}, []any{}},
		{map[string]int{"b": 2, "a": 1}, map[string]any{"a": 1, "b": 2}},
		{map[string]any{}, map[string]any{}},
		{struct {
			Name  string `xmlrpc:"name"`
			Age   int
			Skip  int    `xmlrpc:"-"`
			Empty string `xmlrpc:"empty,omitempty"`
			priv  int
		}{Name: "x", Age: 3, Skip: 9}, map[string]any{"name": "x", "Age": 3}},
		{nil, nil},
		{(*int)(nil), nil},
		{[]int(nil), nil},
		{new(int), 0},
		{[]any{nil, []any{map[string]any{"deep": []any{1.5}}}}, []any{nil, []any{map[string]any{"deep": []any{1.5}}}}},
	}
	for _, c := range cases {
		doc, err := xmlrpc.EncodeResponse(c.in)
		if err != nil {
			t.Errorf("encode %#v: %v", c.in, err)
			continue
		}
		got, err := xmlrpc.DecodeResponse(bytes.NewReader(doc))
		if err != nil {
			t.Errorf("decode %s: %v", doc, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("%#v came back as %#v, want %#v", c.in, got, c.want)
		}
	}
}

// What XML-RPC cannot carry is an error at the sender, with a reason,
// not something the peer misreads.
func TestEncodeRefusesWhatXMLRPCCannotCarry(t *testing.T) {
	for name, v := range map[string]any{
		"int over 32 bits":  int64(math.MaxInt32) + 1,
		"uint over 32 bits": uint32(math.MaxUint32),
		"NaN":               math.NaN(),
		"infinity":          math.Inf(-1),
		"NUL in string":     "a\x00b",
		"invalid UTF-8":     "a\xffb",
		"int map keys":      map[int]string{1: "a"},
		"channel":           make(chan int),
		"complex":           1i,
		"year 10000":        time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		"nested bad":        []any{map[string]any{"x": math.NaN()}},
	} {
		if doc, err := xmlrpc.EncodeCall("m", v); err == nil {
			t.Errorf("%s: encoded as %s", name, doc)
		}
	}
}

// The encoder writes what Python writes, line for line, for the types
// whose layout is the same.
func TestEncodeLooksLikePython(t *testing.T) {
	got, err := xmlrpc.EncodeResponse(map[string]any{"sum": 5, "ok": false})
	if err != nil {
		t.Fatal(err)
	}
	want := string(mustRead(t, "testdata/python_response.xml"))
	// Python quotes the version with ' and orders members by insertion.
	want = strings.Replace(want, "'1.0'", `"1.0"`, 1)
	for _, line := range strings.Split(want, "\n") {
		if !strings.Contains(string(got), line) {
			t.Errorf("our response lacks Python's line %q:\n%s", line, got)
		}
	}
	f := xmlrpc.EncodeFault(&xmlrpc.Fault{Code: 1, String: "<class 'ZeroDivisionError'>:integer division or modulo by zero"})
	wantFault := strings.Replace(string(mustRead(t, "testdata/python_fault.xml")), "'1.0'", `"1.0"`, 1)
	if string(f) != wantFault {
		t.Errorf("fault differs from Python's:\n%s\nwant\n%s", f, wantFault)
	}
}

// A fault string taken from bad input is cleaned, never refused.
func TestEncodeFaultNeverFails(t *testing.T) {
	doc := xmlrpc.EncodeFault(&xmlrpc.Fault{Code: 7, String: "bad \x00 \xff <x>"})
	_, err := xmlrpc.DecodeResponse(bytes.NewReader(doc))
	var f *xmlrpc.Fault
	if !errors.As(err, &f) || f.Code != 7 || f.String != "bad \uFFFD \uFFFD <x>" {
		t.Errorf("got %v", err)
	}
}
