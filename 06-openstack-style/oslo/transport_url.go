// A transport_url says where the broker is, the way OpenStack services
// write it in their config files:
//
//	rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost?amqp_durable_queues=true
//
// Several hosts separated by commas are a cluster: the transport connects
// to one and, when it dies, moves on to the next (failover). A host
// without a user name or password logs in as guest, guest, as in
// oslo.messaging (kombu fills in what is missing). The path is the virtual
// host, URL-unquoted; / and an empty path mean vhost /. Query parameters
// set driver options, as in oslo.messaging.

package oslo

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// A TransportHost is one broker of a transport_url.
type TransportHost struct {
	Hostname string
	Port     int
	Username string
	Password string
}

// Address is host:port, for dialing and for messages (no password).
func (h TransportHost) Address() string {
	if strings.Contains(h.Hostname, ":") {
		return fmt.Sprintf("[%s]:%d", h.Hostname, h.Port)
	}
	return fmt.Sprintf("%s:%d", h.Hostname, h.Port)
}

// A TransportURL is a parsed transport_url.
type TransportURL struct {
	Scheme      string // rabbit (kombu and amqp are accepted as aliases)
	Hosts       []TransportHost
	VirtualHost string
	Options     DriverOptions
}

// DriverOptions are the RabbitMQ driver options a transport_url query
// may set. Each must match the deployment: RabbitMQ refuses to declare an
// exchange or queue again with other flags (406 PRECONDITION_FAILED).
type DriverOptions struct {
	// DurableQueues is amqp_durable_queues: topic exchange and queues
	// survive a broker restart. Default false.
	DurableQueues bool
	// AutoDelete is amqp_auto_delete: topic exchange and queues go
	// away with their last consumer. Default false.
	AutoDelete bool
	// QuorumQueues is rabbit_quorum_queue: topic queues (test and
	// test.server1) are quorum queues, replicated on a majority of the
	// cluster's nodes, and so durable; the topic exchange is durable too.
	// Reply and fanout queues stay classic, as in oslo.messaging.
	// Default false.
	QuorumQueues bool
	// QuorumDeliveryLimit is rabbit_quorum_delivery_limit: a quorum
	// queue drops a message delivered this many times (x-delivery-limit).
	// 0, the default, sets no limit.
	QuorumDeliveryLimit int
	// QuorumMaxMemoryLength is rabbit_quorum_max_memory_length
	// (x-max-in-memory-length); 0, the default, leaves it unset.
	QuorumMaxMemoryLength int
	// QuorumMaxMemoryBytes is rabbit_quorum_max_memory_bytes
	// (x-max-in-memory-bytes); 0, the default, leaves it unset.
	QuorumMaxMemoryBytes int
	// FailoverStrategy is kombu_failover_strategy: which host to try
	// when the connection is lost. "round-robin" (the default) tries the
	// hosts in the URL's order, starting after the one that was lost;
	// "shuffle" tries them in a random order, a new one each round.
	FailoverStrategy string
	// TransientQueuesTTL is rabbit_transient_queues_ttl: reply and
	// fanout queues expire after this long unused. Default 30 minutes.
	TransientQueuesTTL time.Duration
}

// InvalidTransportURL says what is wrong with a transport_url. The URL
// it shows has its passwords masked.
type InvalidTransportURL struct {
	URL    string
	Reason string
}

func (e *InvalidTransportURL) Error() string {
	return fmt.Sprintf("invalid transport_url %q: %s", e.URL, e.Reason)
}

const defaultPort = 5672

// ParseTransportURL parses a transport_url; its error names what is
// wrong (scheme, host, port, option).
func ParseTransportURL(raw string) (*TransportURL, error) {
	bad := func(format string, args ...any) error {
		return &InvalidTransportURL{URL: maskPasswords(raw), Reason: fmt.Sprintf(format, args...)}
	}
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok || scheme == "" {
		return nil, bad("no scheme (want rabbit://user:pass@host:5672/vhost)")
	}
	switch scheme {
	case "rabbit", "kombu", "amqp":
	default:
		return nil, bad("unsupported scheme %q (want rabbit, or its alias kombu)", scheme)
	}
	u := &TransportURL{Scheme: "rabbit", VirtualHost: "/"}
	u.Options.TransientQueuesTTL = 30 * time.Minute
	u.Options.FailoverStrategy = "round-robin"

	// The query comes last; the path (vhost) starts at the first /.
	rest, query, _ := strings.Cut(rest, "?")
	netloc, path, hasPath := strings.Cut(rest, "/")
	if hasPath && path != "" && path != "/" {
		vhost, err := url.PathUnescape(path)
		if err != nil {
			return nil, bad("virtual host %q: %v", path, err)
		}
		u.VirtualHost = vhost
	}

	// Hosts: user:pass@host:port, comma-separated, each with its own
	// credentials. Like oslo.messaging (which hands kombu an empty user
	// or password, and kombu fills in its default), a missing or empty
	// user name or password is guest.
	for i, h := range strings.Split(netloc, ",") {
		if h == "" {
			continue
		}
		host := TransportHost{Port: defaultPort, Username: "guest", Password: "guest"}
		if creds, addr, found := cutLast(h, "@"); found {
			name, pw, _ := strings.Cut(creds, ":")
			user, err := url.PathUnescape(name)
			if err != nil {
				return nil, bad("host %d: user name: %v", i+1, err)
			}
			pass, err := url.PathUnescape(pw)
			if err != nil {
				return nil, bad("host %d: password: %v", i+1, err)
			}
			if user != "" {
				host.Username = user
			}
			if pass != "" {
				host.Password = pass
			}
			h = addr
		}
		name, port, err := splitHostPort(h)
		if err != nil {
			return nil, bad("host %d (%q): %v", i+1, h, err)
		}
		if name == "" {
			return nil, bad("host %d has no host name", i+1)
		}
		host.Hostname = name
		if port != 0 {
			host.Port = port
		}
		u.Hosts = append(u.Hosts, host)
	}
	if len(u.Hosts) == 0 {
		return nil, bad("no host (want rabbit://user:pass@host:5672/vhost)")
	}

	if err := u.Options.parseQuery(query); err != nil {
		return nil, bad("%v", err)
	}
	return u, nil
}

// knownOptions are the driver options a transport_url query may set.
var knownOptions = []string{
	"amqp_durable_queues", "amqp_auto_delete", "rabbit_transient_queues_ttl",
	"rabbit_quorum_queue", "rabbit_quorum_delivery_limit",
	"rabbit_quorum_max_memory_length", "rabbit_quorum_max_memory_bytes",
	"kombu_failover_strategy",
}

// parseQuery reads the driver options a URL's query may set, and names
// any it does not know (a typo would otherwise be silently ignored).
func (o *DriverOptions) parseQuery(query string) error {
	values, err := url.ParseQuery(query)
	if err != nil {
		return fmt.Errorf("query: %v", err)
	}
	for key, vals := range values {
		v := vals[len(vals)-1]
		switch key {
		case "amqp_durable_queues", "amqp_auto_delete", "rabbit_quorum_queue":
			b, err := parseBool(v)
			if err != nil {
				return fmt.Errorf("option %s=%q: want true or false", key, v)
			}
			switch key {
			case "amqp_durable_queues":
				o.DurableQueues = b
			case "amqp_auto_delete":
				o.AutoDelete = b
			default:
				o.QuorumQueues = b
			}
		case "rabbit_transient_queues_ttl":
			n, err := strconv.Atoi(v)
			if err != nil || n < 1 {
				return fmt.Errorf("option %s=%q: want a positive number of seconds", key, v)
			}
			o.TransientQueuesTTL = time.Duration(n) * time.Second
		case "rabbit_quorum_delivery_limit", "rabbit_quorum_max_memory_length", "rabbit_quorum_max_memory_bytes":
			n, err := strconv.Atoi(v)
			if err != nil || n < 0 {
				return fmt.Errorf("option %s=%q: want a number, 0 or more", key, v)
			}
			switch key {
			case "rabbit_quorum_delivery_limit":
				o.QuorumDeliveryLimit = n
			case "rabbit_quorum_max_memory_length":
				o.QuorumMaxMemoryLength = n
			default:
				o.QuorumMaxMemoryBytes = n
			}
		case "kombu_failover_strategy":
			if v != "round-robin" && v != "shuffle" {
				return fmt.Errorf("option %s=%q: want round-robin or shuffle", key, v)
			}
			o.FailoverStrategy = v
		default:
			return fmt.Errorf("unknown option %q (known: %s)", key, strings.Join(knownOptions, ", "))
		}
	}
	return nil
}

// parseBool accepts what oslo.config accepts for a boolean.
func parseBool(s string) (bool, error) {
	switch strings.ToLower(s) {
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("not a boolean: %q", s)
}

// splitHostPort splits host, host:port or [v6]:port; port 0 means
// none was given.
func splitHostPort(s string) (string, int, error) {
	host, portText := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.Index(s, "]")
		if end < 0 {
			return "", 0, fmt.Errorf("unclosed [ in IPv6 address")
		}
		host = s[1:end]
		if rest := s[end+1:]; rest != "" {
			p, ok := strings.CutPrefix(rest, ":")
			if !ok {
				return "", 0, fmt.Errorf("junk %q after IPv6 address", rest)
			}
			portText = p
		}
	} else if h, p, found := strings.Cut(s, ":"); found {
		host, portText = h, p
	}
	if portText == "" {
		return host, 0, nil
	}
	port, err := strconv.Atoi(portText)
	if err != nil || port < 1 || port > 65535 {
		return "", 0, fmt.Errorf("bad port %q (want 1-65535)", portText)
	}
	return host, port, nil
}

func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// maskPasswords hides :password@ parts so errors and logs never show
// a secret.
func maskPasswords(raw string) string {
	scheme, rest, ok := strings.Cut(raw, "://")
	if !ok {
		return raw
	}
	netloc, tail := rest, ""
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		netloc, tail = rest[:i], rest[i:]
	}
	hosts := strings.Split(netloc, ",")
	for i, h := range hosts {
		if creds, addr, found := cutLast(h, "@"); found {
			if name, _, hasPW := strings.Cut(creds, ":"); hasPW {
				hosts[i] = name + ":***@" + addr
			}
		}
	}
	return scheme + "://" + strings.Join(hosts, ",") + tail
}

// String gives the URL back with passwords masked.
func (u *TransportURL) String() string {
	var hosts []string
	for _, h := range u.Hosts {
		hosts = append(hosts, url.PathEscape(h.Username)+":***@"+h.Address())
	}
	vhost := u.VirtualHost
	if vhost == "/" {
		vhost = ""
	}
	return u.Scheme + "://" + strings.Join(hosts, ",") + "/" + url.PathEscape(vhost)
}

// amqpURL is the amqp091-go URL for one host.
func (u *TransportURL) amqpURL(h TransportHost) string {
	au := url.URL{
		Scheme: "amqp",
		User:   url.UserPassword(h.Username, h.Password),
		Host:   h.Address(),
		Path:   "/" + u.VirtualHost,
	}
	// amqp091-go reads the vhost from the raw path; / must stay escaped.
	au.RawPath = "/" + url.PathEscape(u.VirtualHost)
	return au.String()
}
