package dashboard

import (
	"bytes"
	"encoding/json"
	"sync"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// viewCache keeps the encoded points of the last few (server, version,
// range) views, since every browser that loads the page within a second
// asks for the same one, and each interval's encoded point, since
// consecutive versions share all but one interval: computing an hour of
// percentiles takes ~50 ms, reusing it ~1 ms.
type viewCache struct {
	mu      sync.Mutex
	entries []viewEntry
	points  map[string]map[pointKey][]byte // by server and resolution
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

// pointKey identifies an interval record: its key (end time) plus a few
// of its numbers, so a record rewritten under the same key is recomputed.
type pointKey struct {
	end, start int64
	seconds    float64
	answered   uint64
	latency    uint64
}

func keyOf(iv *metrics.Interval) pointKey {
	return pointKey{iv.End.UnixNano(), iv.Start.UnixNano(), iv.Seconds, iv.Packets.Answered, iv.Latency.Sum()}
}

const viewCacheSize = 16

func (c *viewCache) view(server string, version int64, sp span, res string, ivs []metrics.Interval) json.RawMessage {
	k := viewKey{server, version, sp.name}
	c.mu.Lock()
	for _, e := range c.entries {
		if e.key == k {
			c.mu.Unlock()
			return e.data
		}
	}
	c.mu.Unlock()
	b := c.encode(server+"\x00"+res, sp, ivs)
	c.mu.Lock()
	c.entries = append(c.entries, viewEntry{k, b})
	if len(c.entries) > viewCacheSize {
		c.entries = c.entries[1:]
	}
	c.mu.Unlock()
	return b
}

// encode writes ivs as a JSON array of points, reusing the encoded points
// of records seen before and forgetting those older than the range.
func (c *viewCache) encode(bucket string, sp span, ivs []metrics.Interval) json.RawMessage {
	c.mu.Lock()
	if c.points == nil {
		c.points = map[string]map[pointKey][]byte{}
	}
	known := c.points[bucket]
	if known == nil {
		known = map[pointKey][]byte{}
		c.points[bucket] = known
	}
	c.mu.Unlock()

	var buf bytes.Buffer
	buf.WriteByte('[')
	fresh := map[pointKey][]byte{}
	for i := range ivs {
		k := keyOf(&ivs[i])
		c.mu.Lock()
		b, ok := known[k]
		c.mu.Unlock()
		if !ok {
			var err error
			if b, err = json.Marshal(toPoint(&ivs[i])); err != nil {
				b = []byte("null")
			}
			fresh[k] = b
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.Write(b)
	}
	buf.WriteByte(']')

	c.mu.Lock()
	for k, b := range fresh {
		known[k] = b
	}
	if len(ivs) > 0 {
		cut := lastEnd(ivs).Add(-sp.dur - time.Hour).UnixNano()
		for k := range known {
			if k.end < cut {
				delete(known, k)
			}
		}
	}
	c.mu.Unlock()
	return buf.Bytes()
}
