// A notification's priority says how much it matters. oslo writes it
// upper-case in the message ("INFO") and lower-case in routing keys
// and method names (notifications.info, def info(…)).

package notify

import "strings"

// Priority is one of the seven levels oslo.messaging knows.
type Priority string

// The priorities, in oslo's order.
const (
	PriorityAudit    Priority = "AUDIT"
	PriorityDebug    Priority = "DEBUG"
	PriorityInfo     Priority = "INFO"
	PriorityWarn     Priority = "WARN"
	PriorityError    Priority = "ERROR"
	PriorityCritical Priority = "CRITICAL"
	PrioritySample   Priority = "SAMPLE"
)

// Priorities lists every priority in oslo's order; listeners bind
// their queues in this order.
var Priorities = []Priority{
	PriorityAudit, PriorityDebug, PriorityInfo, PriorityWarn,
	PriorityError, PriorityCritical, PrioritySample,
}

// ParsePriority accepts a priority in any case, as oslo's dispatcher
// does (message.get('priority', ”).lower()).
func ParsePriority(s string) (Priority, bool) {
	p := Priority(strings.ToUpper(s))
	for _, known := range Priorities {
		if p == known {
			return p, true
		}
	}
	return "", false
}

// RoutingKey is the key a notification of this priority travels
// with: <topic>.<priority lower-case>.
func (p Priority) RoutingKey(topic string) string {
	return topic + "." + strings.ToLower(string(p))
}
