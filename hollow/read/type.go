package read

import (
	"iter"
	"math"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// Type is one type of a State: its schema, shards and populated ordinals.
// Accessors take global ordinals and return ok=false for null values and
// for ordinals that are not populated.
type Type struct {
	schema     schema.Schema
	numShards  int
	shift      uint
	maxOrdinal int
	populated  *encoding.BitSet
	blobBytes  int // bytes of the type in the snapshot it was read from

	objects []*objectShard // one slice per kind, numShards entries
	lists   []*listShard
	buckets []*bucketShard
}

// Schema is the type's schema.
func (t *Type) Schema() *schema.Schema { return &t.schema }

// Name is the type's name.
func (t *Type) Name() string { return t.schema.Name }

// NumShards is the type's shard count.
func (t *Type) NumShards() int { return t.numShards }

// MaxOrdinal is the largest ordinal the blob declared, -1 when empty.
func (t *Type) MaxOrdinal() int { return t.maxOrdinal }

// SnapshotBytes is the size of the type's section in the snapshot it was
// loaded from, 0 for a type built by a delta.
func (t *Type) SnapshotBytes() int { return t.blobBytes }

// Count is the number of populated records.
func (t *Type) Count() int { return t.populated.Count() }

// Has reports whether ordinal o holds a record.
func (t *Type) Has(o int) bool { return t.populated.Has(o) }

// Ordinals iterates over populated ordinals in ascending order.
func (t *Type) Ordinals() iter.Seq[int] {
	return func(yield func(int) bool) {
		for o := t.populated.Next(0); o >= 0; o = t.populated.Next(o + 1) {
			if !yield(o) {
				return
			}
		}
	}
}

// OrdinalList lists populated ordinals in ascending order.
func (t *Type) OrdinalList() []int { return t.populated.Ordinals() }

func (t *Type) locate(o int) (shard, local int) {
	return o & (t.numShards - 1), o >> t.shift
}

func (t *Type) shardMax(i int) int {
	switch {
	case t.objects != nil:
		if t.objects[i] != nil {
			return t.objects[i].maxOrdinal
		}
	case t.lists != nil:
		if t.lists[i] != nil {
			return t.lists[i].maxOrdinal
		}
	case t.buckets != nil:
		if t.buckets[i] != nil {
			return t.buckets[i].maxOrdinal
		}
	}
	return -1
}

// object finds the shard of a populated OBJECT record and its field.
func (t *Type) object(o, f int) (*objectShard, int, bool) {
	if t.objects == nil || !t.populated.Has(o) || f < 0 || f >= len(t.schema.Fields) {
		return nil, 0, false
	}
	sh, l := t.locate(o)
	if t.objects[sh] == nil {
		return nil, 0, false
	}
	return t.objects[sh], l, true
}

func (t *Type) fixed(o, f int, want schema.FieldType) (uint64, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != want {
		return 0, false
	}
	return sh.raw(l, f), true
}

// Int reads an INT field.
func (t *Type) Int(o, f int) (int32, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.Int {
		return 0, false
	}
	v := sh.raw(l, f)
	if v == allOnes(sh.widths[f]) {
		return 0, false
	}
	return encoding.UnZigZag32(uint32(v)), true
}

// Long reads a LONG field.
func (t *Type) Long(o, f int) (int64, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.Long {
		return 0, false
	}
	v := sh.raw(l, f)
	if v == allOnes(sh.widths[f]) {
		return 0, false
	}
	return encoding.UnZigZag64(v), true
}

// Ref reads a REFERENCE field: the referenced type's ordinal.
func (t *Type) Ref(o, f int) (int, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.Reference {
		return 0, false
	}
	v := sh.raw(l, f)
	if v == allOnes(sh.widths[f]) || v > math.MaxInt32 {
		return 0, false
	}
	return int(v), true
}

// Bool reads a BOOLEAN field.
func (t *Type) Bool(o, f int) (bool, bool) {
	v, ok := t.fixed(o, f, schema.Boolean)
	if !ok || v > 1 {
		return false, false
	}
	return v == 1, true
}

// Null bit patterns Java writes for FLOAT and DOUBLE.
const (
	NullFloatBits  = 0x7fc00001
	NullDoubleBits = 0x7ff8000000000001
)

// FloatBits reads a FLOAT field's IEEE bits.
func (t *Type) FloatBits(o, f int) (uint32, bool) {
	v, ok := t.fixed(o, f, schema.Float)
	if !ok || v == NullFloatBits {
		return 0, false
	}
	return uint32(v), true
}

// Float reads a FLOAT field.
func (t *Type) Float(o, f int) (float32, bool) {
	v, ok := t.FloatBits(o, f)
	return math.Float32frombits(v), ok
}

// DoubleBits reads a DOUBLE field's IEEE bits.
func (t *Type) DoubleBits(o, f int) (uint64, bool) {
	v, ok := t.fixed(o, f, schema.Double)
	if !ok || v == NullDoubleBits {
		return 0, false
	}
	return v, true
}

// Double reads a DOUBLE field.
func (t *Type) Double(o, f int) (float64, bool) {
	v, ok := t.DoubleBits(o, f)
	return math.Float64frombits(v), ok
}

// Bytes reads a BYTES field; the slice aliases the state and must not be
// modified.
func (t *Type) Bytes(o, f int) ([]byte, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.Bytes {
		return nil, false
	}
	return sh.varBytes(l, f)
}

// StringUTF16 reads a STRING field as Java's UTF-16 code units, exact even
// for unpaired surrogates.
func (t *Type) StringUTF16(o, f int) ([]uint16, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.String {
		return nil, false
	}
	b, ok := sh.varBytes(l, f)
	if !ok {
		return nil, false
	}
	u, err := encoding.DecodeJavaString(b)
	return u, err == nil
}

// String reads a STRING field as a Go string.
func (t *Type) String(o, f int) (string, bool) {
	sh, l, ok := t.object(o, f)
	if !ok || t.schema.Fields[f].Type != schema.String {
		return "", false
	}
	b, ok := sh.varBytes(l, f)
	if !ok {
		return "", false
	}
	s, err := encoding.JavaStringToGo(b)
	return s, err == nil
}

// IsNull reports whether field f of record o is null (or o not populated).
func (t *Type) IsNull(o, f int) bool {
	if f < 0 || f >= len(t.schema.Fields) {
		return true
	}
	var ok bool
	switch t.schema.Fields[f].Type {
	case schema.Int:
		_, ok = t.Int(o, f)
	case schema.Long:
		_, ok = t.Long(o, f)
	case schema.Reference:
		_, ok = t.Ref(o, f)
	case schema.Boolean:
		_, ok = t.Bool(o, f)
	case schema.Float:
		_, ok = t.FloatBits(o, f)
	case schema.Double:
		_, ok = t.DoubleBits(o, f)
	case schema.String, schema.Bytes:
		sh, l, found := t.object(o, f)
		if found {
			_, ok = sh.varBytes(l, f)
		}
	}
	return !ok
}

// Value reads any field as a Go value: int32, int64, bool, float32,
// float64, string, []byte or int (a reference ordinal); nil for null.
func (t *Type) Value(o, f int) any {
	if t.IsNull(o, f) {
		return nil
	}
	switch t.schema.Fields[f].Type {
	case schema.Int:
		v, _ := t.Int(o, f)
		return v
	case schema.Long:
		v, _ := t.Long(o, f)
		return v
	case schema.Reference:
		v, _ := t.Ref(o, f)
		return v
	case schema.Boolean:
		v, _ := t.Bool(o, f)
		return v
	case schema.Float:
		v, _ := t.Float(o, f)
		return v
	case schema.Double:
		v, _ := t.Double(o, f)
		return v
	case schema.String:
		v, _ := t.String(o, f)
		return v
	default:
		v, _ := t.Bytes(o, f)
		return v
	}
}

// Elements lists a LIST record's element ordinals in order, or a SET
// record's in bucket order.
func (t *Type) Elements(o int) []int {
	if !t.populated.Has(o) {
		return nil
	}
	sh, l := t.locate(o)
	switch {
	case t.lists != nil && t.lists[sh] != nil:
		return t.lists[sh].elements(l)
	case t.buckets != nil && t.buckets[sh] != nil && t.schema.Kind == schema.Set:
		es := t.buckets[sh].entries(l)
		out := make([]int, len(es))
		for i, e := range es {
			out[i] = e[0]
		}
		return out
	}
	return nil
}

// Entries lists a MAP record's (key, value) ordinal pairs in bucket order.
func (t *Type) Entries(o int) [][2]int {
	if !t.populated.Has(o) || t.buckets == nil || t.schema.Kind != schema.Map {
		return nil
	}
	sh, l := t.locate(o)
	if t.buckets[sh] == nil {
		return nil
	}
	return t.buckets[sh].entries(l)
}

// Size is the element count of a LIST, SET or MAP record.
func (t *Type) Size(o int) int {
	if t.schema.Kind == schema.Map {
		return len(t.Entries(o))
	}
	return len(t.Elements(o))
}
