package xmlrpc_test

import (
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

// seeds are the documents the fuzzer starts from: Python's own
// output and the odd corners of the grammar. They run as an ordinary
// test; go test -fuzz FuzzDecodeCall ./02-xmlrpc explores from them.
func seeds(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.xml")
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	for _, s := range []string{
		"",
		"<methodCall><methodName>add</methodName><params><param><value><i4>2</i4></value></param><param><value><int>3</int></value></param></params></methodCall>",
		"<methodCall><methodName>m</methodName></methodCall>",
		"<methodCall><methodName>m</methodName><params><param><value>untyped</value></param></params></methodCall>",
		"<methodCall><methodName>m</methodName><params><param><value><struct><member><name>a</name><value><array><data><value><nil/></value></data></array></value></member></struct></value></param></params></methodCall>",
		"<methodCall><methodName>m</methodName><params><param><value><double>-1.5e10</double></value></param><param><value><boolean>1</boolean></value></param></params></methodCall>",
		"<methodCall><methodName>m</methodName><params><param><value><dateTime.iso8601>19980717T14:08:55</dateTime.iso8601></value></param><param><value><base64>aGk=</base64></value></param></params></methodCall>",
		"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><methodCall><methodName>caf\xe9</methodName></methodCall>",
		"<methodResponse><params><param><value><i8>-9223372036854775808</i8></value></param></params></methodResponse>",
		"<methodResponse><fault><value><struct><member><name>faultCode</name><value><int>4</int></value></member><member><name>faultString</name><value>x</value></member></struct></value></fault></methodResponse>",
		"<!DOCTYPE x [<!ENTITY a \"b\">]><methodCall/>",
	} {
		f.Add([]byte(s))
	}
}

// FuzzDecodeCall feeds arbitrary bytes to the request decoder, as a
// hostile client could. It must never panic, and whatever it accepts
// must survive re-encoding unchanged.
func FuzzDecodeCall(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		call, err := xmlrpc.DecodeCall(bytes.NewReader(data))
		if err != nil {
			return
		}
		doc, err := xmlrpc.EncodeCall(call.Method, call.Params...)
		if err != nil {
			// Decoding is more liberal than encoding (e.g. <i8>,
			// control characters in a method name are impossible,
			// but big ints are not): that is allowed.
			return
		}
		again, err := xmlrpc.DecodeCall(bytes.NewReader(doc))
		if err != nil {
			t.Fatalf("re-decoding our own encoding failed: %v\n%s", err, doc)
		}
		if !reflect.DeepEqual(call, again) {
			t.Fatalf("round trip changed the call:\n%#v\n%#v", call, again)
		}
	})
}

// FuzzDecodeResponse does the same for the client's decoder, which
// reads whatever a server sends.
func FuzzDecodeResponse(f *testing.F) {
	seeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := xmlrpc.DecodeResponse(bytes.NewReader(data))
		if err != nil {
			return
		}
		doc, err := xmlrpc.EncodeResponse(v)
		if err != nil {
			return
		}
		again, err := xmlrpc.DecodeResponse(bytes.NewReader(doc))
		if err != nil || !reflect.DeepEqual(v, again) {
			t.Fatalf("round trip: %#v became %#v (%v)\n%s", v, again, err, doc)
		}
	})
}

// FuzzServeHTTP posts arbitrary bodies to the server's handler, as a
// hostile client could. Whatever arrives, the handler must not panic
// or hang, and must answer either HTTP 413 (body too big) or status
// 200 with a well-formed methodResponse: a value or a fault.
func FuzzServeHTTP(f *testing.F) {
	seeds(f)
	f.Add([]byte(emptyMulticall(3)))
	f.Add([]byte("<methodCall><methodName>system.multicall</methodName><params><param><value><array><data>" +
		"<value><struct><member><name>methodName</name><value>add</value></member>" +
		"<member><name>params</name><value><array><data><value><int>2</int></value><value><int>3</int></value></data></array></value></member></struct></value>" +
		"</data></array></value></param></params></methodCall>"))
	srv := xmlrpc.NewServer()
	// The calculator without sleep: the fuzzer must not wait.
	if err := srv.RegisterInstance(xmlrpc.Calculator{}); err != nil {
		f.Fatal(err)
	}
	if err := srv.RegisterFunction("echo", func(v any) any { return v }); err != nil {
		f.Fatal(err)
	}
	srv.MaxBodyBytes = 64 << 10
	srv.MaxMulticall = 100
	srv.MaxReplyBytes = 256 << 10
	f.Fuzz(func(t *testing.T, body []byte) {
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, httptest.NewRequest(http.MethodPost, "/RPC2", bytes.NewReader(body)))
		switch w.Code {
		case http.StatusRequestEntityTooLarge:
			return
		case http.StatusOK:
		default:
			t.Fatalf("status %d for a POST to /RPC2", w.Code)
		}
		_, err := xmlrpc.DecodeResponse(w.Body)
		var de *xmlrpc.DecodeError
		if errors.As(err, &de) {
			t.Fatalf("the server's reply does not decode: %v", err)
		}
	})
}
