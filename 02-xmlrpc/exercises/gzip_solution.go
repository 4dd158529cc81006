//go:build solutions

package exercises

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strings"
)

// MaxInflated caps a request body once decompressed.
const MaxInflated = 1 << 20

// Gunzip wraps an XML-RPC handler so that it also accepts request
// bodies compressed with gzip, with the cap on the decompressed size.
func Gunzip(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
			next.ServeHTTP(w, r)
			return
		}
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			http.Error(w, "body is not gzip: "+err.Error(), http.StatusBadRequest)
			return
		}
		body, err := io.ReadAll(io.LimitReader(zr, MaxInflated+1))
		if err != nil {
			http.Error(w, "body is not gzip: "+err.Error(), http.StatusBadRequest)
			return
		}
		if len(body) > MaxInflated {
			http.Error(w, "body inflates past 1 MiB", http.StatusRequestEntityTooLarge)
			return
		}
		r2 := r.Clone(r.Context())
		r2.Body = io.NopCloser(bytes.NewReader(body))
		r2.ContentLength = int64(len(body))
		r2.Header.Del("Content-Encoding")
		next.ServeHTTP(w, r2)
	})
}
