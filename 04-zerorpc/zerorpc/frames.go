// ZeroMQ framing. A DEALER sends `["", payload]`; the ROUTER in front
// of the server adds the sender's routing id, so the server reads
// `[id, "", payload]` and answers with the same three frames, which
// the client's DEALER receives as `["", payload]`.

package zerorpc

import (
	"errors"
	"time"
)

// `splitFrames` separates the routing envelope (the frames before the
// empty delimiter) from the payload, the last frame. Python tolerates
// a missing delimiter, so we do too when reading; we always write it.
func splitFrames(frames [][]byte) (envelope [][]byte, payload []byte, err error) {
	if len(frames) == 0 {
		return nil, nil, errors.New("empty message")
	}
	payload = frames[len(frames)-1]
	envelope = frames[:len(frames)-1]
	if n := len(envelope); n > 0 && len(envelope[n-1]) == 0 {
		envelope = envelope[:n-1]
	}
	return envelope, payload, nil
}

// `heartbeatTick` is how often the heartbeat loop looks at the open
// channels: a fifth of the interval, so a heartbeat is never more than
// 20% late.
func heartbeatTick(interval time.Duration) time.Duration {
	return max(interval/5, time.Millisecond)
}
