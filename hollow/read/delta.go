package read

import (
	"fmt"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// applyDelta reads one type's delta section and builds its next version.
func (t *Type) applyDelta(d *encoding.Decoder) (*Type, Change, error) {
	var ch Change
	at := d.Offset()
	ns, err := readShardCount(d)
	if err != nil {
		return nil, ch, err
	}
	if t.populated.Count() == 0 && t.maxOrdinal < 0 && ns != t.numShards {
		t = emptyType(t.schema, ns) // a type new in this delta takes the delta's sharding
	}
	if ns != t.numShards {
		return nil, ch, fmt.Errorf("shard count %d at byte offset %d, state has %d: %w", ns, at, t.numShards, encoding.ErrCorrupt)
	}
	nt := emptyType(t.schema, ns)
	if ns > 1 {
		if nt.maxOrdinal, err = readMaxOrdinal(d); err != nil {
			return nil, ch, err
		}
	}
	pop := t.populated.Clone()
	for i := 0; i < ns; i++ {
		at := d.Offset()
		if err := t.applyShardDelta(d, nt, i, pop, &ch); err != nil {
			return nil, ch, fmt.Errorf("shard %d at byte offset %d: %w", i, at, err)
		}
	}
	if ns == 1 {
		nt.maxOrdinal = nt.shardMax(0)
	}
	nt.populated = pop
	slices.Sort(ch.Removed)
	slices.Sort(ch.Added)
	return nt, ch, nil
}

func (t *Type) applyShardDelta(d *encoding.Decoder, nt *Type, i int, pop *encoding.BitSet, ch *Change) error {
	mo, err := readMaxOrdinal(d)
	if err != nil {
		return err
	}
	removed, err := d.ReadGapList(mo + t.shardMax(i) + 1)
	if err != nil {
		return fmt.Errorf("removed ordinals: %w", err)
	}
	added, err := d.ReadGapList(mo)
	if err != nil {
		return fmt.Errorf("added ordinals: %w", err)
	}
	global := func(local int) int { return local<<t.shift | i }
	for _, l := range removed {
		g := global(l)
		if !pop.Has(g) {
			return fmt.Errorf("removes unpopulated ordinal %d: %w", g, encoding.ErrCorrupt)
		}
		pop.Remove(g)
		ch.Removed = append(ch.Removed, g)
	}
	for _, l := range added {
		g := global(l)
		if pop.Has(g) {
			return fmt.Errorf("adds populated ordinal %d: %w", g, encoding.ErrCorrupt)
		}
		pop.Add(g)
		ch.Added = append(ch.Added, g)
	}
	// top is the largest populated local ordinal; arrays are sized by it,
	// never by the blob's max ordinal alone. A fresh ordinal can only come
	// after the previous maximum, so a larger jump is corrupt.
	top := -1
	for o := pop.Max(); o >= 0; o = prevSet(pop, o) {
		if o&(t.numShards-1) == i {
			top = o >> t.shift
			break
		}
	}
	if top > mo {
		return fmt.Errorf("populated ordinal %d above max ordinal %d: %w", top, mo, encoding.ErrCorrupt)
	}
	if limit := 2*(t.shardMax(i)+1) + len(added) + 1024; top > limit {
		return fmt.Errorf("ordinal %d jumps far beyond the state: %w", top, encoding.ErrCorrupt)
	}
	keep := func(l int) bool { return l <= t.shardMax(i) && pop.Has(global(l)) }
	switch t.schema.Kind {
	case schema.Object:
		add, err := readObjectData(d, &t.schema, len(added))
		if err != nil {
			return err
		}
		if err := add.validate(&t.schema, seq(len(added))); err != nil {
			return err
		}
		nt.objects[i], err = mergeObject(&t.schema, t.objects[i], keep, add, added, mo, top)
		return err
	case schema.List:
		add, err := readListData(d, len(added))
		if err != nil {
			return err
		}
		if err := add.validate(seq(len(added))); err != nil {
			return err
		}
		nt.lists[i], err = mergeList(t.lists[i], keep, add, added, mo, top)
		return err
	default:
		add, err := readBucketData(d, len(added), t.schema.Kind == schema.Map)
		if err != nil {
			return err
		}
		if err := add.validate(seq(len(added))); err != nil {
			return err
		}
		nt.buckets[i], err = mergeBuckets(t.buckets[i], keep, add, added, mo, top)
		return err
	}
}

func seq(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// prevSet is the largest set ordinal below o, -1 when none.
func prevSet(s *encoding.BitSet, o int) int {
	for o--; o >= 0; o-- {
		if s.Has(o) {
			return o
		}
	}
	return -1
}
