//go:build exercises

package exercises_test

import (
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/exercises"
	"github.com/rpc-course/rpc-from-0-to-1/02-xmlrpc/xmlrpc"
	"github.com/rpc-course/rpc-from-0-to-1/internal/pypeer"
)

func TestAddAndMultiplyAsksThePythonServerOnce(t *testing.T) {
	pypeer.Require(t, "xmlrpc.server")
	py := pypeer.Start(t, "../xmlrpc/testdata/py_server.py")
	addr := strings.TrimPrefix(py.WaitLine(t, "READY ", time.Minute), "READY ")

	// A proxy in front of the Python server counts the HTTP requests.
	var requests atomic.Int32
	target, _ := url.Parse("http://" + addr)
	proxy := httputil.NewSingleHostReverseProxy(target)
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		proxy.ServeHTTP(w, r)
	}))
	defer front.Close()
	c, err := xmlrpc.NewClient(front.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	sum, product, err := exercises.AddAndMultiply(t.Context(), c, 6, 7)
	if err != nil {
		t.Fatalf("AddAndMultiply(6, 7) returned the error %q.\nLook at multicall.go: c.Multicall with two entries.", err)
	}
	if sum != 13 || product != 42 {
		t.Errorf("AddAndMultiply(6, 7) = %d, %d; want 13, 42", sum, product)
	}
	if n := requests.Load(); n != 1 {
		t.Errorf("the Python server got %d HTTP requests; want 1: both calls in one system.multicall", n)
	}
}
