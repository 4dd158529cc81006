//go:build !solutions

package exercises

import "net/http"

// MaxInflated caps a request body once decompressed: 1 MiB, the
// server's own cap on a plain body.
const MaxInflated = 1 << 20

// Gunzip wraps an XML-RPC handler so that it also accepts request
// bodies compressed with gzip, as Python's SimpleXMLRPCServer does: a
// request with the header Content-Encoding: gzip has its body
// decompressed before next reads it. Python's client sends such bodies
// when its Transport's encode_threshold is set.
//
// A few kilobytes of gzip can inflate to gigabytes (a "zip bomb"), so
// the limit must hold for the decompressed size: a body that inflates
// past [MaxInflated] gets HTTP 413 Request Entity Too Large, and a body
// that is not gzip at all gets 400 Bad Request.
//
// Your code here. Return an [http.HandlerFunc] that, for gzip requests,
// reads the body through a gzip reader (package compress/gzip) with a
// limit (io.LimitReader, one byte past the cap tells you it was
// crossed), then hands next a copy of the request with the decompressed
// body, its ContentLength set and the Content-Encoding header removed.
func Gunzip(next http.Handler) http.Handler {
	return next
}
