// Every notification carries two ids and a time stamp, each in the
// exact text form Python prints:
//
//   - message_id: str(uuid.uuid4()), 36 characters with dashes;
//     it identifies the event and reaches the endpoint as metadata.
//   - _unique_id: uuid.uuid4().hex, 32 characters; the transport
//     uses it to drop a message it has already handled.
//   - timestamp: str(datetime.utcnow()), UTC without a zone; Python
//     leaves out the fraction when the microseconds are 0.

package notify

import (
	"crypto/rand"
	"encoding/hex"
	"time"
)

// newUUID4 returns 16 random bytes with the version-4 and RFC 4122
// variant bits set.
func newUUID4() [16]byte {
	var u [16]byte
	// crypto/rand.Read never fails on supported platforms.
	_, _ = rand.Read(u[:])
	u[6] = u[6]&0x0f | 0x40
	u[8] = u[8]&0x3f | 0x80
	return u
}

// newMessageID is Python's str(uuid.uuid4()).
func newMessageID() string {
	u := newUUID4()
	h := hex.EncodeToString(u[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" +
		h[16:20] + "-" + h[20:32]
}

// newUniqueID is Python's uuid.uuid4().hex.
func newUniqueID() string {
	u := newUUID4()
	return hex.EncodeToString(u[:])
}

// TimestampLayout is how oslo prints a notification's time when the
// microseconds are not 0; [FormatTimestamp] drops the fraction
// otherwise.
const TimestampLayout = "2006-01-02 15:04:05.000000"

// FormatTimestamp prints t as Python's str(datetime) does for a
// naive UTC time.
func FormatTimestamp(t time.Time) string {
	t = t.UTC().Truncate(time.Microsecond)
	if t.Nanosecond() == 0 {
		return t.Format("2006-01-02 15:04:05")
	}
	return t.Format(TimestampLayout)
}

// ParseTimestamp reads a time written by [FormatTimestamp], with or
// without the fraction.
func ParseTimestamp(s string) (time.Time, error) {
	// Go's parser accepts an optional fraction after the seconds
	// when the layout has none.
	return time.Parse("2006-01-02 15:04:05", s)
}
