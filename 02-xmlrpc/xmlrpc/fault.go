// A fault is XML-RPC's error reply: a <fault> element holding a
// struct with an int faultCode and a string faultString. The spec
// leaves the codes to each server; we use the "interoperability" codes
// that Python's xmlrpc.client also defines (PARSE_ERROR,
// METHOD_NOT_FOUND, …), so a student can look them up in one place.

package xmlrpc

import "fmt"

// Fault codes sent by this package's server. They are the values of the
// constants of the same meaning in Python's xmlrpc.client
// (NOT_WELLFORMED_ERROR, INVALID_XMLRPC, METHOD_NOT_FOUND,
// INVALID_METHOD_PARAMS, INTERNAL_ERROR, APPLICATION_ERROR,
// SYSTEM_ERROR).
// Python's own SimpleXMLRPCServer sends code 1 for every error.
const (
	CodeNotWellFormed   = -32700 // the body is not a well-formed document
	CodeInvalidXMLRPC   = -32600 // well-formed XML, but not a valid methodCall
	CodeMethodNotFound  = -32601 // no method registered under that name
	CodeInvalidParams   = -32602 // wrong number or types of params
	CodeInternalError   = -32603 // the server failed (e.g. result not encodable)
	CodeApplicationErr  = -32500 // the method itself returned an error
	CodeSystemError     = -32400 // a server limit stopped the call (time, reply size)
	CodePythonException = 1      // what SimpleXMLRPCServer sends for everything
)

// Fault is the typed error a client gets back when the server
// answers with <fault>. Use errors.As to read its fields:
//
//	var f *xmlrpc.Fault
//	if errors.As(err, &f) && f.Code == xmlrpc.CodeMethodNotFound { … }
//
// A method registered on our server may also return a [*Fault] to
// choose the code the client sees.
type Fault struct {
	Code   int
	String string
}

func (f *Fault) Error() string {
	return fmt.Sprintf("xmlrpc fault %d: %s", f.Code, f.String)
}

// faultf builds a [*Fault] with a formatted message.
func faultf(code int, format string, args ...any) *Fault {
	return &Fault{Code: code, String: fmt.Sprintf(format, args...)}
}
