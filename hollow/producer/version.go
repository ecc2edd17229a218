package producer

import (
	"strconv"
	"time"
)

// minter mints Java-style versions: yyyyMMddHHmmss (UTC) followed by a
// 3-digit counter, strictly increasing even if the clock goes back.
type minter struct {
	now     func() time.Time
	counter int
	last    int64
}

func (m *minter) mint() int64 {
	m.counter = m.counter%999 + 1
	ts, _ := strconv.ParseInt(m.now().UTC().Format("20060102150405"), 10, 64)
	v := ts*1000 + int64(m.counter)
	if v <= m.last {
		v = m.last + 1
	}
	m.last = v
	return v
}
