package read

import (
	"fmt"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// shardDelta is one shard's part of a type's delta, read before anything
// is merged so every count is checked first.
type shardDelta struct {
	maxOrdinal     int
	removed, added []int // shard-local
	objects        *objectShard
	lists          *listShard
	buckets        *bucketShard
}

// applyDelta reads one type's delta section and builds its next version.
func (t *Type) applyDelta(d *encoding.Decoder) (*Type, Change, error) {
	var ch Change
	at := d.Offset()
	ns, err := readShardCount(d)
	if err != nil {
		return nil, ch, err
	}
	if d.Remaining() < 3*ns {
		return nil, ch, fmt.Errorf("%d shards at byte offset %d: %w", ns, d.Offset(), encoding.ErrTruncated)
	}
	if t.populated.Count() == 0 && ns != t.numShards {
		t = emptyType(t.schema, ns) // an empty type takes the delta's sharding
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
	sds := make([]shardDelta, ns)
	for i := range sds {
		at := d.Offset()
		if err := t.readShardDelta(d, i, &sds[i]); err != nil {
			return nil, ch, fmt.Errorf("shard %d at byte offset %d: %w", i, at, err)
		}
	}
	if ns == 1 {
		nt.maxOrdinal = sds[0].maxOrdinal
	}

	// New ordinals fill holes or follow the old ones; a delta placing one
	// far beyond both would make us allocate for nothing, so it is refused.
	total := 0
	for _, sd := range sds {
		total += len(sd.added)
	}
	limit := max(t.populated.Max(), 2*(t.populated.Count()+total)) + 1024 + ns
	pop := t.populated.Clone()
	for i, sd := range sds {
		for _, l := range sd.removed {
			g := l<<t.shift | i
			if !pop.Has(g) {
				return nil, ch, fmt.Errorf("shard %d removes unpopulated ordinal %d: %w", i, g, encoding.ErrCorrupt)
			}
			pop.Remove(g)
			ch.Removed = append(ch.Removed, g)
		}
	}
	for i, sd := range sds {
		for _, l := range sd.added {
			g := l<<t.shift | i
			if g > limit {
				return nil, ch, fmt.Errorf("shard %d adds ordinal %d far beyond the state: %w", i, g, encoding.ErrCorrupt)
			}
			if pop.Has(g) {
				return nil, ch, fmt.Errorf("shard %d adds populated ordinal %d: %w", i, g, encoding.ErrCorrupt)
			}
			pop.Add(g)
			ch.Added = append(ch.Added, g)
		}
	}
	tops := shardTops(pop, ns, t.shift)
	for i, sd := range sds {
		if tops[i] > sd.maxOrdinal {
			return nil, ch, fmt.Errorf("shard %d: populated ordinal %d above max ordinal %d: %w", i, tops[i], sd.maxOrdinal, encoding.ErrCorrupt)
		}
		shardMax := t.shardMax(i)
		keep := func(l int) bool { return l <= shardMax && pop.Has(l<<t.shift|i) }
		switch t.schema.Kind {
		case schema.Object:
			nt.objects[i], err = mergeObject(&t.schema, t.objects[i], keep, sd.objects, sd.added, sd.maxOrdinal, tops[i])
		case schema.List:
			nt.lists[i], err = mergeList(t.lists[i], keep, sd.lists, sd.added, sd.maxOrdinal, tops[i])
		default:
			nt.buckets[i], err = mergeBuckets(t.buckets[i], keep, sd.buckets, sd.added, sd.maxOrdinal, tops[i])
		}
		if err != nil {
			return nil, ch, fmt.Errorf("shard %d: %w", i, err)
		}
	}
	nt.populated = pop
	slices.Sort(ch.Removed)
	slices.Sort(ch.Added)
	return nt, ch, nil
}

func (t *Type) readShardDelta(d *encoding.Decoder, i int, sd *shardDelta) error {
	var err error
	if sd.maxOrdinal, err = readMaxOrdinal(d); err != nil {
		return err
	}
	if sd.removed, err = d.ReadGapList(max(sd.maxOrdinal, t.shardMax(i))); err != nil {
		return fmt.Errorf("removed ordinals: %w", err)
	}
	if sd.added, err = d.ReadGapList(sd.maxOrdinal); err != nil {
		return fmt.Errorf("added ordinals: %w", err)
	}
	n := len(sd.added)
	switch t.schema.Kind {
	case schema.Object:
		if sd.objects, err = readObjectData(d, &t.schema, n); err == nil {
			err = sd.objects.validate(&t.schema)
		}
	case schema.List:
		if sd.lists, err = readListData(d, n); err == nil {
			err = sd.lists.validate()
		}
	default:
		if sd.buckets, err = readBucketData(d, n, t.schema.Kind == schema.Map); err == nil {
			err = sd.buckets.validate()
		}
	}
	return err
}

// shardTops finds each shard's largest populated local ordinal (-1 when
// none) in one pass over the set.
func shardTops(pop *encoding.BitSet, ns int, shift uint) []int {
	tops := make([]int, ns)
	for i := range tops {
		tops[i] = -1
	}
	for o := pop.Next(0); o >= 0; o = pop.Next(o + 1) {
		tops[o&(ns-1)] = o >> shift
	}
	return tops
}
