package write

import (
	"math/bits"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// stats are a type's bit widths and totals over the previous and the
// current state together (Java's rule: a delta sized for the new state
// alone corrupts values two deltas later).
type stats struct {
	maxOrdinal int
	widths     []int   // OBJECT: per field
	varTotal   []int64 // OBJECT: per field, bytes over all shards

	ptrBits, sizeBits, elemBits, valBits int
	shardTotal                           []int64 // LIST elements / SET, MAP buckets per shard
}

// tally holds what the statistics are derived from, over the records of
// the previous and the current state, kept up to date record by record as
// records join that union (a new record added) or leave it (dropped by
// PrepareForNextCycle or ResetCycle). Widths are maxima, kept as counts of
// records per width so a record leaving lowers them exactly: the blobs are
// the same as with statistics computed from scratch, at the cost of the
// change rather than the dataset.
type tally struct {
	valid      bool
	fieldWidth [][65]int // OBJECT: per fixed-width field, records by width
	varTotal   []int64   // OBJECT: per STRING/BYTES field, bytes
	shardTotal []int64   // LIST elements / SET, MAP buckets per shard
	// Records by bitlen of: LIST their largest element; SET, MAP their
	// largest element (key) + 1; MAP their largest value.
	elemWidth, valWidth [65]int
	sizeWidth           [65]int // SET, MAP: records by bitlen(size)
}

// bucketCount is Java's HashCodes.hashTableSize: room for n elements with a
// load factor of at most 0.7.
func bucketCount(n int) int {
	switch {
	case n == 0:
		return 1
	case n < 3:
		return 2 * n
	}
	return 1 << bits.Len(uint(n*10/7-1))
}

// stats returns the type's statistics, computed once per cycle: the
// snapshot, delta and reverse delta of a cycle share them.
func (t *typeState) stats() *stats {
	if t.cached == nil {
		t.cached = t.computeStats()
	}
	return t.cached
}

// invalidate makes the next statistics a full recount (the shard count
// changed, or records were placed wholesale).
func (t *typeState) invalidate() {
	t.cached = nil
	t.tally.valid = false
}

// joined counts record o, which just entered the previous ∪ current union.
func (t *typeState) joined(o int) {
	t.cached = nil
	if t.tally.valid {
		t.count(o, 1)
	}
}

// left uncounts record o, about to leave the union; call it before the
// record's key is cleared.
func (t *typeState) left(o int) {
	t.cached = nil
	if t.tally.valid {
		t.count(o, -1)
	}
}

// recount rebuilds the tally from every record of the union.
func (t *typeState) recount() {
	sc := &t.schema
	nf := 0
	if sc.Kind == schema.Object {
		nf = len(sc.Fields)
	}
	t.tally = tally{valid: true, fieldWidth: make([][65]int, nf), varTotal: make([]int64, nf),
		shardTotal: make([]int64, t.numShards)}
	for o, k := range t.records {
		if k != "" && (t.prev.Has(o) || t.cur.Has(o)) {
			t.count(o, 1)
		}
	}
}

// count adds (d = 1) or removes (d = -1) record o's share of the tally.
func (t *typeState) count(o, d int) {
	ta := &t.tally
	sc := &t.schema
	key := t.records[o]
	switch sc.Kind {
	case schema.Object:
		p := 1
		for i, f := range sc.Fields {
			set := key[p] != 0
			p++
			var u uint64
			if set {
				var n int
				u, n = uvarint(key[p:])
				p += n
			}
			if f.Type.Variable() {
				if set {
					ta.varTotal[i] += int64(d) * int64(u)
					p += int(u)
				}
				continue
			}
			ta.fieldWidth[i][fixedWidth(f.Type, value{set: set, u: u})] += d
		}
		return
	}
	n, maxElem, maxVal := 0, 0, 0
	step := 1
	if sc.Kind == schema.Map {
		step = 2
	}
	for p, i := 1, 0; p < len(key); i++ {
		u, m := uvarint(key[p:])
		p += m
		if i%step == 0 {
			n++
			maxElem = max(maxElem, int(u))
		} else {
			maxVal = max(maxVal, int(u))
		}
	}
	mask := t.numShards - 1
	switch sc.Kind {
	case schema.List:
		ta.shardTotal[o&mask] += int64(d * n)
		ta.elemWidth[encoding.BitLen(uint64(maxElem))] += d
	default:
		ta.shardTotal[o&mask] += int64(d * bucketCount(n))
		ta.sizeWidth[encoding.BitLen(uint64(n))] += d
		ta.elemWidth[encoding.BitLen(uint64(maxElem+1))] += d
		ta.valWidth[encoding.BitLen(uint64(maxVal))] += d
	}
}

// top is the largest width any record has, def when there are none.
func top(h *[65]int, def int) int {
	for w := len(h) - 1; w >= 0; w-- {
		if h[w] != 0 {
			return w
		}
	}
	return def
}

func (t *typeState) computeStats() *stats {
	if !t.tally.valid || len(t.tally.shardTotal) != t.numShards {
		t.recount()
	}
	ta := &t.tally
	st := &stats{maxOrdinal: max(t.prev.Max(), t.cur.Max()), shardTotal: append([]int64(nil), ta.shardTotal...)}
	sc := &t.schema
	var maxTotal int64
	for _, v := range st.shardTotal {
		maxTotal = max(maxTotal, v)
	}
	switch sc.Kind {
	case schema.Object:
		st.widths = make([]int, len(sc.Fields))
		st.varTotal = append([]int64(nil), ta.varTotal...)
		for i, f := range sc.Fields {
			if f.Type.Variable() {
				st.widths[i] = encoding.BitLen(uint64(st.varTotal[i]+1)) + 1
			} else {
				st.widths[i] = top(&ta.fieldWidth[i], 0)
			}
		}
	case schema.List:
		st.ptrBits = max(1, encoding.BitLen(uint64(maxTotal)))
		st.elemBits = max(1, top(&ta.elemWidth, 0))
	case schema.Set, schema.Map:
		st.ptrBits = encoding.BitLen(uint64(maxTotal))
		st.sizeBits = top(&ta.sizeWidth, 0)
		st.elemBits = top(&ta.elemWidth, 1)
		st.valBits = max(1, top(&ta.valWidth, 0))
	}
	return st
}

// fixedWidth is the bits a fixed-width value needs, Java's FieldStatistics:
// one more than the value so all ones stays free for null.
func fixedWidth(ft schema.FieldType, v value) int {
	switch ft {
	case schema.Boolean:
		return 2
	case schema.Float:
		return 32
	case schema.Double:
		return 64
	case schema.Int, schema.Long, schema.Reference:
		if !v.set {
			return 1
		}
		return encoding.BitLen(v.u + 1)
	}
	return 0
}
