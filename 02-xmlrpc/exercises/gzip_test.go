//go:build exercises

package exercises_test

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
)

func TestGunzipAcceptsPythonsGzipBodiesAndRefusesABomb(t *testing.T) {
	h := exercises.Gunzip(xmlrpc.NewCalculatorServer())
	out := python(t, h, "gzip")
	requireLines(t, out, "Python sent the body gzip-compressed (Content-Encoding: gzip). "+
		"Look at gzip.go: decompress it before the XML-RPC server reads it.", "add(2, 3) -> 5")

	ts := httptest.NewServer(h)
	defer ts.Close()
	post := func(body []byte, what string) int {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, ts.URL+"/", bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/xml")
		req.Header.Set("Content-Encoding", "gzip")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatalf("POST %s: %v", what, err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}

	// 10 MB of zeros, in about 10 KB of gzip.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write(make([]byte, 10<<20))
	zw.Close()
	if code := post(bomb.Bytes(), "a zip bomb"); code != http.StatusRequestEntityTooLarge {
		t.Errorf("%d bytes of gzip that inflate to 10 MB got HTTP %d; want 413: "+
			"cap the decompressed size at MaxInflated, not the compressed one", bomb.Len(), code)
	}
	if code := post([]byte(strings.Repeat("not gzip", 10)), "not gzip"); code != http.StatusBadRequest {
		t.Errorf("a body marked gzip that is not got HTTP %d; want 400", code)
	}
}
