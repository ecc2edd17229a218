package write

import (
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// ErrUnknownType means a record names a type no schema declared.
var ErrUnknownType = errors.New("unknown type")

// typeState holds every record of one type that the previous or the
// current state has, by ordinal.
type typeState struct {
	schema    schema.Schema
	numShards int
	records   []string // encoded record by ordinal, kept while prev or cur has it
	index     map[string]int
	prev, cur encoding.BitSet
	free      []int // ordinals free for this cycle, ascending

	shardsFixed bool // a state with this type exists: numShards may not change

	cached *stats // statistics of the current cycle, nil when stale
	tally  tally  // what the statistics derive from, kept per record
}

// StateEngine accumulates the records of the current cycle and writes
// blobs. It is not safe for concurrent use.
type StateEngine struct {
	types      map[string]*typeState
	order      []string // registration order
	headerTags map[string]string
	prevTag    int64             // tag of the previous state, -1 before the first
	tag        int64             // tag of the current state
	hadPrev    bool              // a previous state exists (deltas can be written)
	prevTags   map[string]string // header tags of the previous state

	// CompactBitsets writes snapshot populated-ordinal bitsets without
	// Java's padding to multiples of 256 words. Java readers accept either;
	// it keeps test and fuzz blobs small.
	CompactBitsets bool

	buf []byte // reused to encode records
}

// NewStateEngine returns an empty engine in its first cycle.
func NewStateEngine() *StateEngine {
	return &StateEngine{types: map[string]*typeState{}, headerTags: map[string]string{}, prevTag: -1, tag: mintTag()}
}

func mintTag() int64 {
	var b [8]byte
	rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:]))
}

// AddType declares a type. Declaring the same schema again is a no-op.
func (e *StateEngine) AddType(s schema.Schema) error {
	if err := s.Validate(); err != nil {
		return fmt.Errorf("add type: %w", err)
	}
	if t, ok := e.types[s.Name]; ok {
		if !t.schema.Equal(&s) {
			return fmt.Errorf("add type %s: schema differs from the declared one", s.Name)
		}
		return nil
	}
	e.types[s.Name] = &typeState{schema: s, numShards: 1, index: map[string]int{}}
	e.order = append(e.order, s.Name)
	return nil
}

// SetNumShards sets a type's shard count, a power of two. It cannot change
// once a state with the type was written, since readers keep the shard
// count along a delta chain.
func (e *StateEngine) SetNumShards(typeName string, n int) error {
	t := e.types[typeName]
	if t == nil {
		return fmt.Errorf("set shards of %s: %w", typeName, ErrUnknownType)
	}
	if n < 1 || n&(n-1) != 0 || n > 1<<16 {
		return fmt.Errorf("set shards of %s: %d is not a power of two", typeName, n)
	}
	if n != t.numShards && t.shardsFixed {
		return fmt.Errorf("set shards of %s: fixed at %d along the delta chain", typeName, t.numShards)
	}
	t.numShards = n
	t.invalidate()
	return nil
}

// Schema returns a declared type's schema, nil if unknown.
func (e *StateEngine) Schema(typeName string) *schema.Schema {
	if t := e.types[typeName]; t != nil {
		return &t.schema
	}
	return nil
}

// Schemas lists the declared schemas in registration order.
func (e *StateEngine) Schemas() []schema.Schema {
	out := make([]schema.Schema, 0, len(e.order))
	for _, n := range e.order {
		out = append(out, e.types[n].schema)
	}
	return out
}

// SetHeaderTag sets a tag written into the headers of this cycle's blobs.
func (e *StateEngine) SetHeaderTag(k, v string) { e.headerTags[k] = v }

// HeaderTags returns the current header tags (not a copy).
func (e *StateEngine) HeaderTags() map[string]string { return e.headerTags }

// RandomizedTag identifies the current state.
func (e *StateEngine) RandomizedTag() int64 { return e.tag }

// OriginTag identifies the previous state, -1 before the first.
func (e *StateEngine) OriginTag() int64 { return e.prevTag }

// NewObject starts a record of an OBJECT type.
func (e *StateEngine) NewObject(typeName string) *Object {
	t := e.types[typeName]
	if t == nil || t.schema.Kind != schema.Object {
		return &Object{err: fmt.Errorf("new object %s: %w", typeName, ErrUnknownType)}
	}
	return &Object{ts: t, vals: make([]value, len(t.schema.Fields))}
}

// Add adds an OBJECT record to the current state and returns its ordinal.
func (e *StateEngine) Add(o *Object) (int, error) {
	if o.err != nil {
		return -1, fmt.Errorf("add record: %w", o.err)
	}
	e.buf = o.encode(e.buf)
	return o.ts.add(e.buf), nil
}

// AddList adds a LIST record of element ordinals.
func (e *StateEngine) AddList(typeName string, elements []int) (int, error) {
	t, err := e.collection(typeName, schema.List, elements)
	if err != nil {
		return -1, err
	}
	return t.add([]byte(encodeOrdinals(elements))), nil
}

// AddSet adds a SET record; duplicate elements count once.
func (e *StateEngine) AddSet(typeName string, elements []int) (int, error) {
	t, err := e.collection(typeName, schema.Set, elements)
	if err != nil {
		return -1, err
	}
	s := slices.Clone(elements)
	slices.Sort(s)
	return t.add([]byte(encodeOrdinals(slices.Compact(s)))), nil
}

// AddMap adds a MAP record of (key, value) ordinal pairs; keys must be
// distinct.
func (e *StateEngine) AddMap(typeName string, entries [][2]int) (int, error) {
	flat := make([]int, 0, 2*len(entries))
	for _, kv := range entries {
		flat = append(flat, kv[0], kv[1])
	}
	t, err := e.collection(typeName, schema.Map, flat)
	if err != nil {
		return -1, err
	}
	s := slices.Clone(entries)
	slices.SortFunc(s, cmpPair)
	for i := 1; i < len(s); i++ {
		if s[i][0] == s[i-1][0] {
			return -1, fmt.Errorf("add map %s: key ordinal %d twice", typeName, s[i][0])
		}
	}
	flat = flat[:0]
	for _, kv := range s {
		flat = append(flat, kv[0], kv[1])
	}
	return t.add([]byte(encodeOrdinals(flat))), nil
}

func cmpPair(a, b [2]int) int {
	if a[0] != b[0] {
		return a[0] - b[0]
	}
	return a[1] - b[1]
}

func (e *StateEngine) collection(typeName string, k schema.Kind, ords []int) (*typeState, error) {
	t := e.types[typeName]
	if t == nil || t.schema.Kind != k {
		return nil, fmt.Errorf("add %s %s: %w", k, typeName, ErrUnknownType)
	}
	for _, o := range ords {
		if o < 0 || o > 1<<31-2 {
			return nil, fmt.Errorf("add %s %s: ordinal %d out of range", k, typeName, o)
		}
	}
	return t, nil
}

// add puts an encoded record in the current state: an identical record
// keeps its ordinal, a new one takes a freed ordinal or the next fresh one.
func (t *typeState) add(enc []byte) int {
	t.cached = nil
	if o, ok := t.index[string(enc)]; ok { // no allocation for a lookup
		t.cur.Add(o)
		return o
	}
	key := string(enc)
	var o int
	if len(t.free) > 0 {
		o = t.free[0]
		t.free = t.free[1:]
	} else {
		o = len(t.records)
		t.records = append(t.records, "")
	}
	t.records[o] = key
	t.index[key] = o
	t.cur.Add(o)
	t.joined(o)
	return o
}

// PrepareForNextCycle makes the current state the previous one and starts
// an empty current state. Ordinals the finished cycle dropped become free
// now, so they are reused only from this new cycle on.
func (e *StateEngine) PrepareForNextCycle() {
	for _, t := range e.types {
		t.shardsFixed = true
		t.cached = nil
		for o := t.prev.Next(0); o >= 0; o = t.prev.Next(o + 1) {
			if !t.cur.Has(o) {
				t.left(o)
				delete(t.index, t.records[o])
				t.records[o] = ""
			}
		}
		t.prev = t.cur
		t.cur = encoding.BitSet{}
		t.free = t.free[:0]
		for o, k := range t.records {
			if k == "" && !t.prev.Has(o) {
				t.free = append(t.free, o)
			}
		}
		// Trailing free ordinals are simply fresh ones.
		for len(t.records) > 0 && t.records[len(t.records)-1] == "" && !t.prev.Has(len(t.records)-1) {
			t.records = t.records[:len(t.records)-1]
		}
		for len(t.free) > 0 && t.free[len(t.free)-1] >= len(t.records) {
			t.free = t.free[:len(t.free)-1]
		}
	}
	e.prevTag = e.tag
	e.tag = mintTag()
	e.prevTags = e.headerTags
	e.headerTags = make(map[string]string, len(e.prevTags))
	for k, v := range e.prevTags {
		e.headerTags[k] = v
	}
	e.hadPrev = true
}

// HasChanges reports whether the current state differs from the previous.
func (e *StateEngine) HasChanges() bool {
	for _, t := range e.types {
		if !t.prev.Equal(&t.cur) {
			return true
		}
	}
	return false
}

// HasPrevious reports whether a previous state exists, so deltas can be
// written.
func (e *StateEngine) HasPrevious() bool { return e.hadPrev }

// ResetCycle discards what was added since the last PrepareForNextCycle,
// as Java's resetToLastPrepareForNextCycle: the current state becomes the
// previous one again, tag and header tags included, so a cycle that
// published nothing leaves the chain where it was.
func (e *StateEngine) ResetCycle() {
	for _, t := range e.types {
		t.cached = nil
		for o, k := range t.records {
			if k != "" && !t.prev.Has(o) {
				t.left(o)
				delete(t.index, k)
				t.records[o] = ""
			}
		}
		t.cur = *t.prev.Clone()
		for len(t.records) > 0 && t.records[len(t.records)-1] == "" {
			t.records = t.records[:len(t.records)-1]
		}
		t.free = t.free[:0]
		for o, k := range t.records {
			if k == "" {
				t.free = append(t.free, o)
			}
		}
	}
	if e.hadPrev {
		e.tag = e.prevTag
		e.headerTags = make(map[string]string, len(e.prevTags))
		for k, v := range e.prevTags {
			e.headerTags[k] = v
		}
	}
}
