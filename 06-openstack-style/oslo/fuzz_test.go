package oslo

import (
	"context"
	"testing"
)

// Whatever arrives from the network, decoding returns a message or an
// error: never a panic.
func FuzzDecodeRequest(f *testing.F) {
	for _, c := range fuzzSeeds(f) {
		f.Add(c)
	}
	f.Add([]byte(`{"oslo.version": "2.0", "oslo.message": "{\"method\": 1}"}`))
	f.Add([]byte(`{"method": "test", "args": [], "_timeout": "x"}`))
	f.Add([]byte(`null`))
	d, err := NewDispatcher([]any{&fuzzEndpoint{}}, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		req, err := decodeRequest(body)
		if err != nil {
			return
		}
		// A decoded request dispatches to a result or an error.
		_, _ = d.Dispatch(t.Context(), req)
	})
}

func FuzzDecodeReply(f *testing.F) {
	for _, c := range fuzzSeeds(f) {
		f.Add(c)
	}
	f.Add([]byte(`{"oslo.version": "2.0", "oslo.message": "{\"failure\": \"{}\"}"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		_, _ = decodeReply(body)
	})
}

func fuzzSeeds(f *testing.F) [][]byte {
	var seeds [][]byte
	for _, c := range loadCapturesTB(f) {
		seeds = append(seeds, []byte(c.Body))
	}
	return seeds
}

type fuzzEndpoint struct{}

type fuzzArgs struct {
	Arg any `json:"arg"`
	N   int `json:"n,omitempty"`
}

func (fuzzEndpoint) Test(ctx context.Context, a fuzzArgs) (any, error) { return a.Arg, nil }
