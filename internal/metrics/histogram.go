package metrics

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
)

// The histogram is log-linear over nanoseconds: values below 2^(SubBucketBits+1)
// get a bucket each, and every further power of two is split into
// 2^SubBucketBits equal buckets. A bucket is then at most 1/64 of its lower
// bound wide, so a percentile read at the bucket's midpoint is within 0.8 %
// of the true value, well inside the 2 % target, from 1 ns to MaxValue.
// The scheme needs only a bit length and a shift, so BPF code can compute
// the same index in the kernel (see BucketIndex).
const (
	SubBucketBits = 6
	subBuckets    = 1 << SubBucketBits
	// MaxValue is the largest value kept exactly in its bucket (~137 s);
	// larger values are counted in the last bucket and still set Max.
	MaxValue = 1<<37 - 1
	// NumBuckets is the number of buckets needed to cover 0..MaxValue.
	NumBuckets = (37-SubBucketBits)*subBuckets + subBuckets
)

// BucketIndex returns the bucket of v (nanoseconds).
func BucketIndex(v uint64) int {
	if v > MaxValue {
		v = MaxValue
	}
	if v < 2*subBuckets {
		return int(v)
	}
	shift := bits.Len64(v) - (SubBucketBits + 1)
	return (shift+1)*subBuckets + int(v>>uint(shift)) - subBuckets
}

// BucketBounds returns the smallest and largest value that fall in bucket i.
func BucketBounds(i int) (lo, hi uint64) {
	if i < 2*subBuckets {
		return uint64(i), uint64(i)
	}
	shift := uint(i/subBuckets - 1)
	mant := uint64(i%subBuckets + subBuckets)
	return mant << shift, (mant+1)<<shift - 1
}

// Histogram counts durations in nanoseconds. The zero value is empty and
// ready to use. Histograms with the same scheme merge exactly.
type Histogram struct {
	counts []uint64 // dense, grown to the largest index seen; nil while compact
	// The compact form keeps only non-empty buckets: an hour of intervals
	// held for the dashboard costs tens of MB instead of hundreds.
	sparseIdx []uint16
	sparseCnt []uint32
	count     uint64
	sum       uint64
	min       uint64
	max       uint64
}

// Observe adds one value.
func (h *Histogram) Observe(ns uint64) { h.ObserveN(ns, 1) }

// ObserveN adds n values equal to ns.
func (h *Histogram) ObserveN(ns, n uint64) {
	if n == 0 {
		return
	}
	h.addBucket(BucketIndex(ns), n)
	h.sum += ns * n
	if h.count == n || ns < h.min {
		h.min = ns
	}
	if ns > h.max {
		h.max = ns
	}
}

func (h *Histogram) addBucket(i int, n uint64) {
	if h.sparseIdx != nil {
		h.expand()
	}
	if i >= len(h.counts) {
		grown := make([]uint64, i+1, max(i+1, 2*len(h.counts)))
		copy(grown, h.counts)
		h.counts = grown
	}
	h.counts[i] += n
	h.count += n
}

// AddBucket adds n values known only by their bucket, as in-kernel
// aggregation delivers them. Min, max and sum are estimated from the bucket
// bounds; call SetExtremes afterwards when the exact ones are known.
func (h *Histogram) AddBucket(i int, n uint64) error {
	if i < 0 || i >= NumBuckets {
		return fmt.Errorf("add bucket %d: out of range 0..%d", i, NumBuckets-1)
	}
	if n == 0 {
		return nil
	}
	lo, hi := BucketBounds(i)
	first := h.count == 0
	h.addBucket(i, n)
	h.sum += (lo + (hi-lo)/2) * n
	if first || lo < h.min {
		h.min = lo
	}
	if hi > h.max {
		h.max = hi
	}
	return nil
}

// SetExtremes replaces the bucket-estimated min and max with exact values.
func (h *Histogram) SetExtremes(minNS, maxNS uint64) {
	if h.count > 0 {
		h.min, h.max = minNS, maxNS
	}
}

// Merge adds every value of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o == nil || o.count == 0 {
		return
	}
	if h.count == 0 || o.min < h.min {
		h.min = o.min
	}
	if o.max > h.max {
		h.max = o.max
	}
	o.each(func(i int, c uint64) { h.addBucket(i, c) })
	h.sum += o.sum
}

// Count is the number of values observed.
func (h *Histogram) Count() uint64 { return h.count }

// Sum is the total of all values, exact when values came through Observe.
func (h *Histogram) Sum() uint64 { return h.sum }

// Min and Max are the extreme values observed (0 when empty).
func (h *Histogram) Min() uint64 { return h.min }

// Max is the largest value observed.
func (h *Histogram) Max() uint64 { return h.max }

// Quantile returns the value below which the fraction q of values lie,
// read at the midpoint of its bucket and clamped to [Min, Max].
func (h *Histogram) Quantile(q float64) uint64 {
	if h.count == 0 {
		return 0
	}
	if q <= 0 {
		return h.min
	}
	if q >= 1 {
		return h.max
	}
	rank := uint64(math.Ceil(q * float64(h.count)))
	var seen uint64
	at := -1
	h.each(func(i int, c uint64) {
		if at < 0 {
			seen += c
			if seen >= rank {
				at = i
			}
		}
	})
	if at < 0 {
		return h.max
	}
	lo, hi := BucketBounds(at)
	return min(max(lo+(hi-lo)/2, h.min), h.max)
}

// Bucket is one non-empty bucket, for serialisation.
type Bucket struct {
	Index int    `json:"i"`
	Count uint64 `json:"n"`
}

// Buckets lists the non-empty buckets in ascending order.
func (h *Histogram) Buckets() []Bucket {
	var out []Bucket
	h.each(func(i int, c uint64) { out = append(out, Bucket{Index: i, Count: c}) })
	return out
}

// each calls fn for every non-empty bucket in ascending order.
func (h *Histogram) each(fn func(i int, c uint64)) {
	if h.sparseIdx != nil {
		for k, i := range h.sparseIdx {
			fn(int(i), uint64(h.sparseCnt[k]))
		}
		return
	}
	for i, c := range h.counts {
		if c != 0 {
			fn(i, c)
		}
	}
}

// Compact switches to the compact form, for histograms that are kept
// rather than added to; adding to it again switches back. A histogram
// with a bucket count beyond 32 bits stays dense.
func (h *Histogram) Compact() {
	if h.counts == nil {
		return
	}
	n := 0
	for _, c := range h.counts {
		if c > math.MaxUint32 {
			return
		}
		if c != 0 {
			n++
		}
	}
	idx, cnt := make([]uint16, 0, n), make([]uint32, 0, n)
	for i, c := range h.counts {
		if c != 0 {
			idx, cnt = append(idx, uint16(i)), append(cnt, uint32(c))
		}
	}
	h.sparseIdx, h.sparseCnt, h.counts = idx, cnt, nil
}

func (h *Histogram) expand() {
	idx, cnt := h.sparseIdx, h.sparseCnt
	h.sparseIdx, h.sparseCnt = nil, nil
	if len(idx) > 0 {
		h.counts = make([]uint64, int(idx[len(idx)-1])+1)
		for k, i := range idx {
			h.counts[i] = uint64(cnt[k])
		}
	}
}

// HistogramFromBuckets rebuilds a histogram from its serialised parts.
func HistogramFromBuckets(buckets []Bucket, sum, minNS, maxNS uint64) (*Histogram, error) {
	h := &Histogram{}
	sorted := sort.SliceIsSorted(buckets, func(a, b int) bool { return buckets[a].Index < buckets[b].Index })
	if !sorted {
		return nil, fmt.Errorf("rebuild histogram: buckets not in ascending order")
	}
	for _, b := range buckets {
		if b.Index < 0 || b.Index >= NumBuckets {
			return nil, fmt.Errorf("rebuild histogram: bucket %d out of range 0..%d", b.Index, NumBuckets-1)
		}
		h.addBucket(b.Index, b.Count)
	}
	h.sum, h.min, h.max = sum, minNS, maxNS
	h.Compact()
	return h, nil
}
