// A broker may deliver a message twice: the listener handled it, but
// the ack got lost with the connection. oslo remembers the
// _unique_id of the last 16 messages it acknowledged and drops a
// message whose id it has seen. (oslo leaves such a duplicate
// unacknowledged on its channel; we acknowledge it, so the broker
// does not keep it as in flight until the channel closes.)

package notify

// DuplicateWindow is how many ids a listener remembers (oslo's
// DUP_MSG_CHECK_SIZE).
const DuplicateWindow = 16

// idWindow remembers the last [DuplicateWindow] ids, oldest first
// out, like a Python deque(maxlen=16).
type idWindow struct {
	ids  [DuplicateWindow]string
	next int
}

func (w *idWindow) seen(id string) bool {
	if id == "" {
		return false
	}
	for _, known := range w.ids {
		if known == id {
			return true
		}
	}
	return false
}

func (w *idWindow) add(id string) {
	if id == "" || w.seen(id) {
		return
	}
	w.ids[w.next] = id
	w.next = (w.next + 1) % DuplicateWindow
}
