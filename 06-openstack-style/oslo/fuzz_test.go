package oslo

import (
	"context"
	"net/url"
	"strings"
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

// A transport_url from a config file never crashes the parser, and a
// parsed URL never shows a password.
func FuzzParseTransportURL(f *testing.F) {
	f.Add("rabbit://guest:guest@h1:5672,guest:guest@h2:5673,guest:guest@h3:5674/?rabbit_quorum_queue=true")
	f.Add("rabbit://nova:s%40cret@mq1:5673,mq2,other:pw@[::1]:5674,cinder@mq4/nova%2Fprod")
	f.Add("kombu://u:p@[::1/")
	f.Fuzz(func(t *testing.T, raw string) {
		u, err := ParseTransportURL(raw)
		if err != nil {
			return
		}
		if len(u.Hosts) == 0 {
			t.Fatalf("%q: parsed with no host", raw)
		}
		shown := u.String()
		for _, h := range u.Hosts {
			pw := h.Password
			if len(pw) < 3 || pw == "guest" || strings.Contains(shown, pw) && elsewhere(u, pw) {
				continue // too short to tell, the default, or also a name
			}
			if strings.Contains(shown, pw) {
				t.Fatalf("%q: String() %q shows password %q", raw, shown, pw)
			}
		}
	})
}

// elsewhere reports whether s may stand in String's text for another
// reason than the password: it is part of a name String shows, or of the
// separators and the mask.
func elsewhere(u *TransportURL, s string) bool {
	if strings.ContainsAny(s, "*:/@") {
		return true
	}
	names := []string{u.Scheme, u.VirtualHost, url.PathEscape(u.VirtualHost)}
	for _, h := range u.Hosts {
		names = append(names, h.Address(), url.PathEscape(h.Username))
	}
	for _, n := range names {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}
