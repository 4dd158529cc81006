// A filter lets an endpoint see only the notifications it cares
// about, e.g. ceilometer's "only compute.instance.* events". Like
// oslo's NotificationFilter, each rule is a regular expression
// matched at the START of the value (Python's re.match), and a
// rule on a key of the context, metadata or payload fails when the
// key is missing or its value is not a string.

package notify

import (
	"fmt"
	"regexp"
)

// FilterRule is what to match; empty fields match everything.
type FilterRule struct {
	PublisherID string
	EventType   string
	Context     map[string]string
	Metadata    map[string]string // keys "message_id", "timestamp"
	Payload     map[string]string // top-level keys of a dict payload
}

// Filter is a compiled [FilterRule]. An endpoint that has a method
// FilterRule() *Filter gets only the notifications it matches.
type Filter struct {
	publisherID, eventType     *regexp.Regexp
	context, metadata, payload map[string]*regexp.Regexp
}

// NewFilter compiles r. Go's regexp (RE2) lacks some of Python's
// syntax, such as look-arounds; those patterns are an error here.
func NewFilter(r FilterRule) (*Filter, error) {
	f := &Filter{}
	var err error
	if f.publisherID, err = compileAnchored("publisher_id", r.PublisherID); err != nil {
		return nil, err
	}
	if f.eventType, err = compileAnchored("event_type", r.EventType); err != nil {
		return nil, err
	}
	if f.context, err = compileMap("context", r.Context); err != nil {
		return nil, err
	}
	if f.metadata, err = compileMap("metadata", r.Metadata); err != nil {
		return nil, err
	}
	if f.payload, err = compileMap("payload", r.Payload); err != nil {
		return nil, err
	}
	return f, nil
}

// compileAnchored wraps the pattern in ^(?:…) to get re.match's
// start anchoring from Go's search-anywhere MatchString.
func compileAnchored(what, pattern string) (*regexp.Regexp, error) {
	if pattern == "" {
		return nil, nil
	}
	re, err := regexp.Compile("^(?:" + pattern + ")")
	if err != nil {
		return nil, fmt.Errorf("filter on %s: %w", what, err)
	}
	return re, nil
}

func compileMap(what string, patterns map[string]string) (map[string]*regexp.Regexp, error) {
	out := make(map[string]*regexp.Regexp, len(patterns))
	for k, p := range patterns {
		re, err := regexp.Compile("^(?:" + p + ")")
		if err != nil {
			return nil, fmt.Errorf("filter on %s %q: %w", what, k, err)
		}
		out[k] = re
	}
	return out, nil
}

// Match reports whether a notification passes every rule.
func (f *Filter) Match(ctxt RequestContext, publisherID, eventType string, md Metadata, payload any) bool {
	if f == nil {
		return true
	}
	if f.publisherID != nil && !f.publisherID.MatchString(publisherID) {
		return false
	}
	if f.eventType != nil && !f.eventType.MatchString(eventType) {
		return false
	}
	if !matchKeys(f.context, ctxt.Map()) {
		return false
	}
	if !matchKeys(f.metadata, md.Map()) {
		return false
	}
	if len(f.payload) > 0 {
		dict, ok := payload.(map[string]any)
		if !ok || !matchKeys(f.payload, dict) {
			return false
		}
	}
	return true
}

// matchKeys is oslo's _check_for_mismatch for a dict of rules.
func matchKeys(rules map[string]*regexp.Regexp, data map[string]any) bool {
	for k, re := range rules {
		s, ok := data[k].(string)
		if !ok || !re.MatchString(s) {
			return false
		}
	}
	return true
}
