package dataset

import (
	"encoding/binary"
	"fmt"

	"github.com/keascope/keascope/internal/metrics"
)

// encodeBuckets packs a histogram's non-empty buckets as unsigned LEB128
// varints: for each bucket the index's distance from the previous one, then
// the count. Latency buckets cluster, so most take two or three bytes; a
// Hollow LIST of bucket records would cost several times that per cycle.
func encodeBuckets(bs []metrics.Bucket) []byte {
	out := make([]byte, 0, 3*len(bs))
	prev := 0
	for _, b := range bs {
		out = binary.AppendUvarint(out, uint64(b.Index-prev))
		out = binary.AppendUvarint(out, b.Count)
		prev = b.Index
	}
	return out
}

// decodeBuckets is the inverse; it refuses indexes out of range and
// truncated input.
func decodeBuckets(b []byte) ([]metrics.Bucket, error) {
	var out []metrics.Bucket
	idx := 0
	for off := 0; off < len(b); {
		d, n := binary.Uvarint(b[off:])
		if n <= 0 {
			return nil, fmt.Errorf("decode buckets: bad index varint at byte %d", off)
		}
		off += n
		c, n := binary.Uvarint(b[off:])
		if n <= 0 {
			return nil, fmt.Errorf("decode buckets: bad count varint at byte %d", off)
		}
		off += n
		if d > metrics.NumBuckets || (len(out) > 0 && d == 0) {
			return nil, fmt.Errorf("decode buckets: index step %d out of range", d)
		}
		idx += int(d)
		if idx >= metrics.NumBuckets {
			return nil, fmt.Errorf("decode buckets: index %d out of range", idx)
		}
		out = append(out, metrics.Bucket{Index: idx, Count: c})
	}
	return out, nil
}
