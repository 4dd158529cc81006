//go:build !solutions

package exercises

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
)

// SendBatch sends one JSON-RPC 2.0 batch to the server at url, by hand,
// and returns the replies it got, one raw JSON object each. The batch
// holds three requests:
//
//	add(2, 3) with id 1
//	multiply(4, 5) with id 2
//	log("sent in a batch"), a notification: no id at all
//
// A notification gets no reply, so a correct server answers with two
// objects, in any order: match them to the requests by id, never by
// position.
//
// Your code here. Write the batch as a JSON array, POST it with
// Content-Type application/json using hc, and decode the answer into a
// slice of [json.RawMessage]. Do not use package jsonrpc: the point is
// to see the wire.
func SendBatch(ctx context.Context, hc *http.Client, url string) ([]json.RawMessage, error) {
	return nil, errors.New("not implemented: write SendBatch in 03-jsonrpc/exercises/batch.go")
}
