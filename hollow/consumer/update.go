package consumer

import (
	"slices"

	"github.com/keascope/keascope/hollow/index"
	"github.com/keascope/keascope/hollow/read"
)

// Update tells listeners about a new version.
type Update struct {
	Version, Previous int64       // Previous is 0 on the first load
	State, Old        *read.State // Old is nil on the first load
	Snapshot          bool        // reached through a snapshot
	Changes           map[string]TypeChange
}

// TypeChange is what happened to one type's records. A record whose
// primary key (if the type has one) is both removed and added counts as
// modified instead; so does an ordinal whose record changed in place.
type TypeChange struct {
	Added    []int    // new ordinals
	Removed  []int    // old ordinals
	Modified [][2]int // (old ordinal, new ordinal)
}

// Empty reports whether nothing changed.
func (c TypeChange) Empty() bool {
	return len(c.Added) == 0 && len(c.Removed) == 0 && len(c.Modified) == 0
}

func changes(old *read.State, p plan) map[string]TypeChange {
	out := map[string]TypeChange{}
	if old != nil && p.steps == 1 && !p.snapshot {
		for name, ch := range p.last {
			out[name] = pairUp(old, p.state, name, ch.Removed, ch.Added, nil)
		}
		return out
	}
	// Several blobs: compare the two states type by type.
	for _, name := range p.state.TypeNames() {
		nt := p.state.Type(name)
		var ot *read.Type
		if old != nil {
			ot = old.Type(name)
		}
		if ot == nt {
			continue
		}
		var removed, added []int
		var inPlace [][2]int
		if ot != nil {
			for o := range ot.Ordinals() {
				switch {
				case !nt.Has(o):
					removed = append(removed, o)
				case !ot.Schema().Equal(nt.Schema()) || !read.SameRecord(ot, o, nt, o):
					inPlace = append(inPlace, [2]int{o, o})
				}
			}
		}
		for o := range nt.Ordinals() {
			if ot == nil || !ot.Has(o) {
				added = append(added, o)
			}
		}
		if ch := pairUp(old, p.state, name, removed, added, inPlace); !ch.Empty() {
			out[name] = ch
		}
	}
	if old != nil {
		for _, name := range old.TypeNames() {
			if p.state.Type(name) == nil {
				out[name] = TypeChange{Removed: old.Type(name).OrdinalList()}
			}
		}
	}
	return out
}

// pairUp turns removed+added records with equal primary keys into
// modifications.
func pairUp(old, cur *read.State, name string, removed, added []int, modified [][2]int) TypeChange {
	ch := TypeChange{Added: added, Removed: removed, Modified: modified}
	t := cur.Type(name)
	if old == nil || t == nil || len(t.Schema().PrimaryKey) == 0 || len(removed) == 0 || len(added) == 0 {
		return ch
	}
	pk := t.Schema().PrimaryKey
	byKey := map[string]int{}
	for _, o := range removed {
		k, err := index.Key(old, name, pk, o)
		if err != nil {
			return ch
		}
		byKey[k] = o
	}
	var keptAdded []int
	paired := map[int]bool{}
	for _, o := range added {
		k, err := index.Key(cur, name, pk, o)
		if err != nil {
			return ch
		}
		if r, ok := byKey[k]; ok && !paired[r] {
			paired[r] = true
			ch.Modified = append(ch.Modified, [2]int{r, o})
			continue
		}
		keptAdded = append(keptAdded, o)
	}
	var keptRemoved []int
	for _, o := range removed {
		if !paired[o] {
			keptRemoved = append(keptRemoved, o)
		}
	}
	ch.Added, ch.Removed = keptAdded, keptRemoved
	slices.SortFunc(ch.Modified, func(a, b [2]int) int { return a[0] - b[0] })
	return ch
}
