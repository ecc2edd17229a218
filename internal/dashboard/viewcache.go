package dashboard

import (
	"encoding/json"
	"sync"

	"github.com/keascope/keascope/internal/metrics"
)

// viewCache keeps the encoded points of the last few (server, version,
// range) views: every browser that loads the page within a second asks
// for the same one, and computing an hour of percentiles is the expensive
// part.
type viewCache struct {
	mu      sync.Mutex
	entries []viewEntry
}

type viewEntry struct {
	key  viewKey
	data json.RawMessage
}

type viewKey struct {
	server  string
	version int64
	span    string
}

const viewCacheSize = 16

func (c *viewCache) points(server string, version int64, span string, ivs []metrics.Interval) json.RawMessage {
	k := viewKey{server, version, span}
	c.mu.Lock()
	for _, e := range c.entries {
		if e.key == k {
			c.mu.Unlock()
			return e.data
		}
	}
	c.mu.Unlock()
	b, err := json.Marshal(toPoints(ivs))
	if err != nil {
		b = []byte("[]")
	}
	c.mu.Lock()
	c.entries = append(c.entries, viewEntry{k, b})
	if len(c.entries) > viewCacheSize {
		c.entries = c.entries[1:]
	}
	c.mu.Unlock()
	return b
}
