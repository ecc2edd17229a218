package read

import (
	"bytes"
	"fmt"
	"io"
	"math/bits"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// State is one version of a Hollow dataset, immutable once built.
type State struct {
	header *Header
	types  map[string]*Type
}

// RandomizedTag identifies this state; a delta applies only to the state
// whose tag is its origin.
func (s *State) RandomizedTag() int64 { return s.header.DestinationTag }

// HeaderTags are the tags of the blob that produced this state.
func (s *State) HeaderTags() map[string]string { return s.header.Tags }

// Type returns the named type, nil if absent.
func (s *State) Type(name string) *Type { return s.types[name] }

// TypeNames lists the types, sorted.
func (s *State) TypeNames() []string {
	out := make([]string, 0, len(s.types))
	for n := range s.types {
		out = append(out, n)
	}
	slices.Sort(out)
	return out
}

// Schemas lists every type's schema, sorted by name.
func (s *State) Schemas() []schema.Schema {
	var out []schema.Schema
	for _, n := range s.TypeNames() {
		out = append(out, s.types[n].schema)
	}
	return out
}

// ReadSnapshot loads a snapshot blob.
func ReadSnapshot(r io.Reader) (*State, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	return ParseSnapshot(b)
}

// ParseSnapshot loads a snapshot from b. The state keeps references into b
// for STRING and BYTES data, so b must not be modified afterwards.
func ParseSnapshot(b []byte) (*State, error) {
	d := encoding.NewDecoder(b)
	h, err := readHeader(d)
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	s := &State{header: h, types: map[string]*Type{}}
	n, err := d.Count("type count")
	if err != nil {
		return nil, fmt.Errorf("read snapshot: %w", err)
	}
	for i := 0; i < n; i++ {
		t, err := readSnapshotType(d)
		if err != nil {
			return nil, fmt.Errorf("read snapshot: %w", err)
		}
		if _, dup := s.types[t.schema.Name]; dup {
			return nil, fmt.Errorf("read snapshot: type %s twice: %w", t.schema.Name, encoding.ErrCorrupt)
		}
		s.types[t.schema.Name] = t
	}
	return s, nil
}

// ApplyDelta applies a delta or reverse delta blob and returns the new
// state; s is left as it was.
func (s *State) ApplyDelta(r io.Reader) (*State, error) {
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("read delta: %w", err)
	}
	return s.ApplyDeltaBytes(b)
}

// ApplyDeltaBytes is ApplyDelta over bytes, which the new state may keep.
func (s *State) ApplyDeltaBytes(b []byte) (*State, error) {
	ns, _, err := s.applyDelta(b)
	return ns, err
}

// ApplyDeltaChanges applies a delta and also reports, per type it touched,
// the ordinals it removed and added.
func (s *State) ApplyDeltaChanges(b []byte) (*State, map[string]Change, error) {
	return s.applyDelta(b)
}

// Change is what a delta did to one type, in global ordinals.
type Change struct {
	Removed []int
	Added   []int
}

func (s *State) applyDelta(b []byte) (*State, map[string]Change, error) {
	d := encoding.NewDecoder(b)
	h, err := readHeader(d)
	if err != nil {
		return nil, nil, fmt.Errorf("read delta: %w", err)
	}
	if h.OriginTag != s.header.DestinationTag {
		return nil, nil, fmt.Errorf("read delta: origin tag %d, current state %d: %w", h.OriginTag, s.header.DestinationTag, ErrOriginMismatch)
	}
	ns := &State{header: h, types: make(map[string]*Type, len(s.types))}
	for k, v := range s.types {
		ns.types[k] = v
	}
	// Types declared by the new header but absent so far start empty.
	for _, sc := range h.Schemas {
		if _, ok := ns.types[sc.Name]; !ok {
			ns.types[sc.Name] = emptyType(sc, 1)
		}
	}
	changes := map[string]Change{}
	n, err := d.Count("type count")
	if err != nil {
		return nil, nil, fmt.Errorf("read delta: %w", err)
	}
	for i := 0; i < n; i++ {
		at := d.Offset()
		sc, err := schema.Read(d)
		if err != nil {
			return nil, nil, fmt.Errorf("read delta: %w", err)
		}
		old := ns.types[sc.Name]
		if old == nil {
			old = emptyType(sc, 1)
		} else if !old.schema.Equal(&sc) {
			return nil, nil, fmt.Errorf("read delta: type %s at byte offset %d: schema changed: %w", sc.Name, at, encoding.ErrCorrupt)
		}
		t, ch, err := old.applyDelta(d)
		if err != nil {
			return nil, nil, fmt.Errorf("read delta: type %s: %w", sc.Name, err)
		}
		if _, dup := changes[sc.Name]; dup {
			return nil, nil, fmt.Errorf("read delta: type %s twice: %w", sc.Name, encoding.ErrCorrupt)
		}
		ns.types[sc.Name] = t
		changes[sc.Name] = ch
	}
	return ns, changes, nil
}

// readShardCount reads Java's shard header: a byte length (0 = one shard,
// from writers before Hollow 2.1), skipped forward-compatibility bytes and
// the shard count.
func readShardCount(d *encoding.Decoder) (int, error) {
	at := d.Offset()
	n, err := d.Count("shard header length")
	if err != nil || n == 0 {
		return 1, err
	}
	skip, err := d.Count("shard header skip")
	if err != nil {
		return 0, err
	}
	if _, err := d.Bytes(int64(skip)); err != nil {
		return 0, err
	}
	shards, err := d.Count("shard count")
	if err != nil {
		return 0, err
	}
	if shards == 0 || shards&(shards-1) != 0 || shards > 1<<16 {
		return 0, fmt.Errorf("shard count %d at byte offset %d is not a power of two: %w", shards, at, encoding.ErrCorrupt)
	}
	return shards, nil
}

func readSnapshotType(d *encoding.Decoder) (*Type, error) {
	start := d.Offset()
	sc, err := schema.Read(d)
	if err != nil {
		return nil, err
	}
	t, err := readTypeBody(d, sc)
	if err != nil {
		return nil, fmt.Errorf("type %s: %w", sc.Name, err)
	}
	t.blobBytes = d.Offset() - start
	return t, nil
}

func readTypeBody(d *encoding.Decoder, sc schema.Schema) (*Type, error) {
	ns, err := readShardCount(d)
	if err != nil {
		return nil, err
	}
	if d.Remaining() < ns {
		return nil, fmt.Errorf("%d shards at byte offset %d: %w", ns, d.Offset(), encoding.ErrTruncated)
	}
	t := emptyType(sc, ns)
	if ns > 1 {
		if t.maxOrdinal, err = readMaxOrdinal(d); err != nil {
			return nil, err
		}
	}
	for i := 0; i < ns; i++ {
		at := d.Offset()
		mo, err := readMaxOrdinal(d)
		if err != nil {
			return nil, err
		}
		if err := t.readShard(d, i, mo+1); err != nil {
			return nil, fmt.Errorf("shard %d at byte offset %d: %w", i, at, err)
		}
		if ns == 1 {
			t.maxOrdinal = mo
		}
	}
	at := d.Offset()
	pop, err := d.ReadBitSet()
	if err != nil {
		return nil, fmt.Errorf("populated ordinals: %w", err)
	}
	// Ordinals a shard has no room for cannot be populated.
	for o := pop.Next(0); o >= 0; o = pop.Next(o + 1) {
		sh, local := t.locate(o)
		if local > t.shardMax(sh) {
			return nil, fmt.Errorf("populated ordinal %d beyond shard %d at byte offset %d: %w", o, sh, at, encoding.ErrCorrupt)
		}
	}
	t.populated = pop
	if err := t.validate(); err != nil {
		return nil, err
	}
	return t, nil
}

func readMaxOrdinal(d *encoding.Decoder) (int, error) {
	at := d.Offset()
	mo, err := d.VarInt()
	if err != nil {
		return 0, err
	}
	if mo < -1 {
		return 0, fmt.Errorf("max ordinal %d at byte offset %d: %w", mo, at, encoding.ErrCorrupt)
	}
	return int(mo), nil
}

func emptyType(sc schema.Schema, numShards int) *Type {
	t := &Type{schema: sc, numShards: numShards, shift: uint(bits.TrailingZeros(uint(numShards))),
		maxOrdinal: -1, populated: &encoding.BitSet{}}
	switch sc.Kind {
	case schema.Object:
		t.objects = make([]*objectShard, numShards)
	case schema.List:
		t.lists = make([]*listShard, numShards)
	default:
		t.buckets = make([]*bucketShard, numShards)
	}
	return t
}

func (t *Type) readShard(d *encoding.Decoder, i, count int) error {
	var err error
	switch t.schema.Kind {
	case schema.Object:
		t.objects[i], err = readObjectData(d, &t.schema, count)
	case schema.List:
		t.lists[i], err = readListData(d, count)
	default:
		t.buckets[i], err = readBucketData(d, count, t.schema.Kind == schema.Map)
	}
	return err
}

// validate checks every shard's ranges once, so accessors can trust them.
func (t *Type) validate() error {
	for i := 0; i < t.numShards; i++ {
		var err error
		switch {
		case t.objects != nil:
			err = t.objects[i].validate(&t.schema)
		case t.lists != nil:
			err = t.lists[i].validate()
		default:
			err = t.buckets[i].validate()
		}
		if err != nil {
			return fmt.Errorf("shard %d: %w", i, err)
		}
	}
	return nil
}

// DebugString is a short description, for tests and tools.
func (t *Type) DebugString() string {
	var b bytes.Buffer
	fmt.Fprintf(&b, "%s %s shards=%d max=%d count=%d", t.schema.Kind, t.schema.Name, t.numShards, t.maxOrdinal, t.populated.Count())
	return b.String()
}

// OriginTag is the origin tag of the blob that produced this state.
func (s *State) OriginTag() int64 { return s.header.OriginTag }
