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

// union lists the ordinals the previous or the current state holds.
func (t *typeState) union() []int {
	var out []int
	for o := range t.records {
		if t.prev.Has(o) || t.cur.Has(o) {
			out = append(out, o)
		}
	}
	return out
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

func (t *typeState) computeStats() *stats {
	st := &stats{maxOrdinal: -1, shardTotal: make([]int64, t.numShards)}
	sc := &t.schema
	mask := t.numShards - 1
	var vals []value
	var ords []int
	maxElem, maxVal, maxSize := 0, 0, 0
	switch sc.Kind {
	case schema.Object:
		st.widths = make([]int, len(sc.Fields))
		st.varTotal = make([]int64, len(sc.Fields))
	}
	for _, o := range t.union() {
		st.maxOrdinal = o
		switch sc.Kind {
		case schema.Object:
			vals = decodeObject(sc, t.records[o], vals)
			for i, f := range sc.Fields {
				w := fixedWidth(f.Type, vals[i])
				if f.Type.Variable() {
					st.varTotal[i] += int64(len(vals[i].b))
					continue
				}
				st.widths[i] = max(st.widths[i], w)
			}
		case schema.List:
			ords = decodeOrdinals(t.records[o], ords)
			st.shardTotal[o&mask] += int64(len(ords))
			for _, e := range ords {
				maxElem = max(maxElem, e)
			}
		case schema.Set:
			ords = decodeOrdinals(t.records[o], ords)
			st.shardTotal[o&mask] += int64(bucketCount(len(ords)))
			maxSize = max(maxSize, len(ords))
			for _, e := range ords {
				maxElem = max(maxElem, e)
			}
		case schema.Map:
			ords = decodeOrdinals(t.records[o], ords)
			st.shardTotal[o&mask] += int64(bucketCount(len(ords) / 2))
			maxSize = max(maxSize, len(ords)/2)
			for i := 0; i < len(ords); i += 2 {
				maxElem = max(maxElem, ords[i])
				maxVal = max(maxVal, ords[i+1])
			}
		}
	}
	var maxTotal int64
	for _, v := range st.shardTotal {
		maxTotal = max(maxTotal, v)
	}
	switch sc.Kind {
	case schema.Object:
		for i, f := range sc.Fields {
			if f.Type.Variable() {
				st.widths[i] = encoding.BitLen(uint64(st.varTotal[i]+1)) + 1
			}
		}
	case schema.List:
		st.ptrBits = max(1, encoding.BitLen(uint64(maxTotal)))
		st.elemBits = max(1, encoding.BitLen(uint64(maxElem)))
	case schema.Set, schema.Map:
		st.ptrBits = encoding.BitLen(uint64(maxTotal))
		st.sizeBits = encoding.BitLen(uint64(maxSize))
		st.elemBits = encoding.BitLen(uint64(maxElem + 1))
		st.valBits = max(1, encoding.BitLen(uint64(maxVal)))
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
