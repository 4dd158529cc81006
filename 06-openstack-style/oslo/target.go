// A Target is the article's "target": the address of a message, or what
// a server listens on. Like a house number, a server needs one to be found
// and a client needs one to know where to send.

package oslo

import (
	"fmt"
	"strconv"
	"strings"
)

// Target has the fields of oslo.messaging's [Target]. Empty strings mean
// "not set" (Python's None).
type Target struct {
	// Exchange is the topic exchange; empty means the transport's
	// control exchange ("openstack").
	Exchange string
	// Topic names the service: servers on the same topic share its
	// queue and take turns (round robin).
	Topic string
	// Namespace and Version select endpoints on the server; a client
	// sends them with each message when set.
	Namespace string
	Version   string
	// Server names one server: a message for topic test and server
	// server02 goes to queue test.server02 only.
	Server string
	// Fanout sends a cast to every server of the topic.
	Fanout bool
}

func (t Target) String() string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("exchange", t.Exchange)
	add("topic", t.Topic)
	add("namespace", t.Namespace)
	add("version", t.Version)
	add("server", t.Server)
	if t.Fanout {
		parts = append(parts, "fanout=true")
	}
	return "<Target " + strings.Join(parts, ", ") + ">"
}

// InvalidTarget is a target that cannot be used for what was asked
// (a call without a topic, a fanout call, a server without a name).
type InvalidTarget struct {
	Target Target
	Reason string
}

func (e *InvalidTarget) Error() string {
	return fmt.Sprintf("invalid target %s: %s", e.Target, e.Reason)
}

// versionCompatible is oslo's rule: an endpoint at version have can
// serve a request for want when the major numbers are equal and the
// wanted minor is not newer (a 2.3 endpoint serves 2.0 to 2.3, not 2.4
// and not 1.x).
func versionCompatible(have, want string) (bool, error) {
	hMajor, hMinor, err := parseVersion(have)
	if err != nil {
		return false, err
	}
	wMajor, wMinor, err := parseVersion(want)
	if err != nil {
		return false, err
	}
	return hMajor == wMajor && wMinor <= hMinor, nil
}

// parseVersion reads "major.minor" (a third part is allowed and, as in
// oslo for this check, ignored).
func parseVersion(v string) (major, minor int, err error) {
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 {
		return 0, 0, fmt.Errorf("version %q is not major.minor", v)
	}
	if major, err = strconv.Atoi(parts[0]); err != nil {
		return 0, 0, fmt.Errorf("version %q: bad major number", v)
	}
	if minor, err = strconv.Atoi(parts[1]); err != nil {
		return 0, 0, fmt.Errorf("version %q: bad minor number", v)
	}
	return major, minor, nil
}
