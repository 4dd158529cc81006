package exercises

// Auditor keeps an audit trail of the serious notifications, ERROR and
// CRITICAL, whoever sends them: one line per notification, the user
// who caused it (the request context's user_id) and the event type,
// such as
//
//	u-py compute.instance.error
//
// Its methods are in audit.go.
type Auditor struct {
	// Trail receives the lines.
	Trail chan string
}
