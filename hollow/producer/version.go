package producer

import (
	"strconv"
	"time"
)

// minter mints versions as Java's VersionMinterWithCounter: yyyyMMddHHmmss
// (UTC) followed by a per-process counter modulo 1000, and (beyond Java)
// strictly increasing even if the clock goes back or the counter wraps
// within a second.
type minter struct {
	now     func() time.Time
	counter int
	last    int64
}

func (m *minter) mint() int64 {
	m.counter = (m.counter + 1) % 1000
	ts, _ := strconv.ParseInt(m.now().UTC().Format("20060102150405"), 10, 64)
	v := ts*1000 + int64(m.counter)
	if v <= m.last {
		v = m.last + 1
	}
	m.last = v
	return v
}
