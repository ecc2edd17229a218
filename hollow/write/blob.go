package write

import (
	"fmt"
	"io"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// FormatVersion is the blob format version Java writes.
const FormatVersion = 1030

type blobKind int

const (
	snapshotBlob blobKind = iota
	deltaBlob
	reverseDeltaBlob
)

// WriteSnapshot writes the current state as a snapshot blob.
func (e *StateEngine) WriteSnapshot(w io.Writer) error {
	return e.writeBlob(w, snapshotBlob)
}

// WriteDelta writes the delta from the previous state to the current one.
func (e *StateEngine) WriteDelta(w io.Writer) error {
	if !e.hadPrev {
		return fmt.Errorf("write delta: no previous state")
	}
	return e.writeBlob(w, deltaBlob)
}

// WriteReverseDelta writes the delta from the current state back to the
// previous one.
func (e *StateEngine) WriteReverseDelta(w io.Writer) error {
	if !e.hadPrev {
		return fmt.Errorf("write reverse delta: no previous state")
	}
	return e.writeBlob(w, reverseDeltaBlob)
}

// WriteHeader writes a header-<version> file: the snapshot's header and
// type count, no types.
func (e *StateEngine) WriteHeader(w io.Writer) error {
	b, err := e.appendHeader(nil, e.prevTag, e.tag, e.headerTags, e.typeOrder())
	if err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	b = encoding.AppendVarInt(b, int32(len(e.order)))
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write header: %w", err)
	}
	return nil
}

// typeOrder is the order types are written in, Java's HollowSchemaSorter
// order: a depth-first walk from each type no other type references (in
// registration order), dependencies in field order before their users.
func (e *StateEngine) typeOrder() []string {
	var out []string
	seen := map[string]bool{}
	referenced := map[string]bool{}
	for _, t := range e.types {
		for _, r := range t.schema.Refs() {
			referenced[r] = true
		}
	}
	var visit func(n string)
	visit = func(n string) {
		t := e.types[n]
		if t == nil || seen[n] {
			return
		}
		seen[n] = true
		for _, r := range t.schema.Refs() {
			visit(r)
		}
		out = append(out, n)
	}
	for _, n := range e.order {
		if !referenced[n] {
			visit(n)
		}
	}
	for _, n := range e.order {
		visit(n)
	}
	return out
}

// appendHeader writes a blob header declaring the schemas of types (Java
// declares every type in a snapshot, only the changed ones in a delta).
func (e *StateEngine) appendHeader(b []byte, origin, dest int64, tags map[string]string, types []string) ([]byte, error) {
	b = encoding.AppendInt32(b, FormatVersion)
	b = encoding.AppendInt64(b, origin)
	b = encoding.AppendInt64(b, dest)
	env := encoding.AppendVarInt(nil, int32(len(types)))
	var err error
	for _, n := range types {
		sc := e.types[n].schema
		if env, err = sc.AppendTo(env); err != nil {
			return nil, err
		}
	}
	b = encoding.AppendVarInt(b, int32(len(env)+1))
	b = append(b, env...)
	b = encoding.AppendVarInt(b, 0) // no forward-compatibility bytes
	keys := javaHashMapOrder(tags)
	b = encoding.AppendInt16(b, int16(len(keys)))
	for _, k := range keys {
		if b, err = encoding.AppendUTF(b, k); err != nil {
			return nil, err
		}
		if b, err = encoding.AppendUTF(b, tags[k]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

func (e *StateEngine) writeBlob(w io.Writer, kind blobKind) error {
	origin, dest, tags := e.prevTag, e.tag, e.headerTags
	if kind == reverseDeltaBlob {
		origin, dest, tags = e.tag, e.prevTag, e.prevHeaderTags()
	}
	var body []byte
	var written []string
	var err error
	for _, name := range e.typeOrder() {
		t := e.types[name]
		from, to := &t.prev, &t.cur
		if kind == reverseDeltaBlob {
			from, to = to, from
		}
		if kind != snapshotBlob && from.Equal(to) {
			continue // deltas list only types whose records changed
		}
		if body, err = e.appendType(body, t, kind, from, to); err != nil {
			return fmt.Errorf("write type %s: %w", name, err)
		}
		written = append(written, name)
	}
	b, err := e.appendHeader(nil, origin, dest, tags, written)
	if err != nil {
		return fmt.Errorf("write blob: %w", err)
	}
	b = encoding.AppendVarInt(b, int32(len(written)))
	b = append(b, body...)
	if _, err := w.Write(b); err != nil {
		return fmt.Errorf("write blob: %w", err)
	}
	return nil
}

// prevHeaderTags are the header tags of the previous state, which a
// reverse delta leads back to.
func (e *StateEngine) prevHeaderTags() map[string]string {
	if e.prevTags != nil {
		return e.prevTags
	}
	return map[string]string{}
}

func appendShardHeader(b []byte, n int) []byte {
	b = encoding.AppendVarInt(b, int32(1+encoding.VarIntSize(int32(n))))
	b = encoding.AppendVarInt(b, 0)
	return encoding.AppendVarInt(b, int32(n))
}

func (e *StateEngine) appendType(b []byte, t *typeState, kind blobKind, from, to *encoding.BitSet) ([]byte, error) {
	var err error
	if b, err = t.schema.AppendTo(b); err != nil {
		return nil, err
	}
	st := t.stats()
	n := t.numShards
	shift := uint(encoding.BitLen(uint64(n)) - 1)
	b = appendShardHeader(b, n)
	if n > 1 {
		b = encoding.AppendVarInt(b, int32(st.maxOrdinal))
	}
	for s := 0; s < n; s++ {
		shardMax := -1
		if st.maxOrdinal >= s {
			shardMax = (st.maxOrdinal - s) >> shift
		}
		b = encoding.AppendVarInt(b, int32(shardMax))
		var slots []int // global ordinal per record written, -1 for a hole
		if kind == snapshotBlob {
			slots = make([]int, shardMax+1)
			for l := range slots {
				g := l<<shift | s
				slots[l] = -1
				if to.Has(g) {
					slots[l] = g
				}
			}
		} else {
			var removed, added []int
			for l := 0; l <= shardMax; l++ {
				g := l<<shift | s
				switch {
				case from.Has(g) && !to.Has(g):
					removed = append(removed, l)
				case to.Has(g) && !from.Has(g):
					added = append(added, l)
					slots = append(slots, g)
				}
			}
			b = encoding.AppendGapList(b, removed)
			b = encoding.AppendGapList(b, added)
		}
		switch t.schema.Kind {
		case schema.Object:
			b = t.appendObjects(b, st, slots)
		case schema.List:
			b = t.appendLists(b, st, s, slots)
		default:
			b = e.appendBuckets(b, t, st, s, slots)
		}
	}
	if kind == snapshotBlob && e.CompactBitsets {
		b = to.AppendCompactTo(b)
	} else if kind == snapshotBlob {
		b = to.AppendTo(b)
	}
	return b, nil
}

func (t *typeState) appendObjects(b []byte, st *stats, slots []int) []byte {
	sc := &t.schema
	var recBits int64
	offs := make([]int64, len(sc.Fields))
	for i, w := range st.widths {
		b = encoding.AppendVarInt(b, int32(w))
		offs[i] = recBits
		recBits += int64(w)
	}
	arr := encoding.NewBitArray(int64(len(slots)) * recBits)
	vars := make([][]byte, len(sc.Fields))
	var vals []value
	for r, g := range slots {
		base := int64(r) * recBits
		if g >= 0 {
			vals = decodeObject(sc, t.records[g], vals)
		}
		for i, f := range sc.Fields {
			w := st.widths[i]
			if f.Type.Variable() {
				v := uint64(0)
				if g >= 0 {
					vars[i] = append(vars[i], vals[i].b...)
					if !vals[i].set {
						v = 1 << uint(w-1)
					}
				}
				arr.Set(base+offs[i], w, v|uint64(len(vars[i])))
				continue
			}
			if g < 0 {
				continue
			}
			v := vals[i].u
			if !vals[i].set {
				v = nullBits(f.Type, w)
			}
			arr.Set(base+offs[i], w, v)
		}
	}
	b = arr.AppendTo(b)
	for _, v := range vars {
		b = encoding.AppendVarLong(b, int64(len(v)))
		b = append(b, v...)
	}
	return b
}

// nullBits is how Java writes a null fixed-width field.
func nullBits(ft schema.FieldType, w int) uint64 {
	switch ft {
	case schema.Boolean:
		return 3
	case schema.Float:
		return 0x7fc00001
	case schema.Double:
		return 0x7ff8000000000001
	}
	if w >= 64 {
		return ^uint64(0)
	}
	return 1<<uint(w) - 1
}

func (t *typeState) appendLists(b []byte, st *stats, shard int, slots []int) []byte {
	b = encoding.AppendVarInt(b, int32(st.ptrBits))
	b = encoding.AppendVarInt(b, int32(st.elemBits))
	b = encoding.AppendVarLong(b, st.shardTotal[shard])
	ptrs := encoding.NewBitArray(int64(len(slots)) * int64(st.ptrBits))
	var elems []int
	var ords []int
	for r, g := range slots {
		if g >= 0 {
			ords = decodeOrdinals(t.records[g], ords)
			elems = append(elems, ords...)
		}
		ptrs.Set(int64(r)*int64(st.ptrBits), st.ptrBits, uint64(len(elems)))
	}
	arr := encoding.NewBitArray(int64(len(elems)) * int64(st.elemBits))
	for i, e := range elems {
		arr.Set(int64(i)*int64(st.elemBits), st.elemBits, uint64(e))
	}
	b = ptrs.AppendTo(b)
	return arr.AppendTo(b)
}

func (e *StateEngine) appendBuckets(b []byte, t *typeState, st *stats, shard int, slots []int) []byte {
	isMap := t.schema.Kind == schema.Map
	b = encoding.AppendVarInt(b, int32(st.ptrBits))
	b = encoding.AppendVarInt(b, int32(st.sizeBits))
	b = encoding.AppendVarInt(b, int32(st.elemBits))
	vb := 0
	if isMap {
		b = encoding.AppendVarInt(b, int32(st.valBits))
		vb = st.valBits
	}
	b = encoding.AppendVarLong(b, st.shardTotal[shard])
	rec := int64(st.ptrBits + st.sizeBits)
	ptrs := encoding.NewBitArray(int64(len(slots)) * rec)
	type bucket struct{ k, v int }
	var buckets []bucket // k < 0: empty
	var ords []int
	elemType := t.schema.Element
	if isMap {
		elemType = t.schema.Key
	}
	for r, g := range slots {
		size := 0
		if g >= 0 {
			ords = decodeOrdinals(t.records[g], ords)
			step := 1
			if isMap {
				step = 2
			}
			size = len(ords) / step
			n := bucketCount(size)
			start := len(buckets)
			for i := 0; i < n; i++ {
				buckets = append(buckets, bucket{k: -1})
			}
			for i := 0; i < len(ords); i += step {
				k, v := ords[i], 0
				if isMap {
					v = ords[i+1]
				}
				h := int(uint32(e.hashOf(t.schema.HashKey, elemType, k))) & (n - 1)
				for buckets[start+h].k >= 0 {
					h = (h + 1) & (n - 1)
				}
				buckets[start+h] = bucket{k, v}
			}
		}
		ptrs.Set(int64(r)*rec, st.ptrBits, uint64(len(buckets)))
		ptrs.Set(int64(r)*rec+int64(st.ptrBits), st.sizeBits, uint64(size))
	}
	bw := int64(st.elemBits + vb)
	arr := encoding.NewBitArray(int64(len(buckets)) * bw)
	empty := nullBits(schema.Reference, st.elemBits)
	for i, bk := range buckets {
		if bk.k < 0 {
			arr.Set(int64(i)*bw, st.elemBits, empty)
			continue
		}
		arr.Set(int64(i)*bw, st.elemBits, uint64(bk.k))
		arr.Set(int64(i)*bw+int64(st.elemBits), vb, uint64(bk.v))
	}
	b = ptrs.AppendTo(b)
	return arr.AppendTo(b)
}

// javaHashMapOrder lists keys in the order a java.util.HashMap with default
// capacity iterates them (by bucket of the spread String.hashCode), so
// header tags come out as Java writes them. Keys sharing a bucket keep
// sorted order, standing in for Java's insertion order.
func javaHashMapOrder(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	capacity := 16
	for float64(len(keys)) > 0.75*float64(capacity) {
		capacity *= 2
	}
	bucket := func(k string) int {
		h := encoding.StringHash(encoding.ToUTF16(k))
		h ^= int32(uint32(h) >> 16)
		return int(h) & (capacity - 1)
	}
	slices.SortStableFunc(keys, func(a, b string) int { return bucket(a) - bucket(b) })
	return keys
}
