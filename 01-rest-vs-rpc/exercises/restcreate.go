//go:build !solutions

package exercises

import (
	"context"
	"errors"
	"net/http"
)

// CreateCalculation is the REST way to "call add": it creates a
// calculation resource on the server at baseURL (like
// http://127.0.0.1:8000) and returns the created resource's URL, taken
// from the answer's Location header, and its result.
//
// Your code here. POST a JSON body such as
//
//	{"operation": "add", "x": 2, "y": 3}
//
// to baseURL + "/calculations" with Content-Type application/json, using
// hc. Expect 201 Created (any other status is an error that names it),
// read Location, and decode the body's "result". The Location may be a
// path: resolve it against baseURL, so a client can GET it.
func CreateCalculation(ctx context.Context, hc *http.Client, baseURL, op string, x, y int) (location string, result int, err error) {
	return "", 0, errors.New("not implemented: write CreateCalculation in 01-rest-vs-rpc/exercises/restcreate.go")
}
