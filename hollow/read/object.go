package read

import (
	"fmt"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// objectShard is one shard of an OBJECT type: fixed-width records in a
// bit-packed array and, per STRING/BYTES field, a byte area.
type objectShard struct {
	maxOrdinal int
	widths     []int
	offsets    []int64 // bit offset of each field inside a record
	recBits    int64
	data       *encoding.BitArray
	vars       [][]byte
}

func allOnes(w int) uint64 {
	if w >= 64 {
		return ^uint64(0)
	}
	return 1<<uint(w) - 1
}

// readObjectData reads field widths, the record array for count records and
// the byte areas.
func readObjectData(d *encoding.Decoder, sch *schema.Schema, count int) (*objectShard, error) {
	sh := &objectShard{maxOrdinal: count - 1, widths: make([]int, len(sch.Fields)),
		offsets: make([]int64, len(sch.Fields)), vars: make([][]byte, len(sch.Fields))}
	for i := range sh.widths {
		at := d.Offset()
		w, err := d.VarInt()
		if err != nil {
			return nil, err
		}
		if w < 0 || w > 64 {
			return nil, fmt.Errorf("field %s width %d at byte offset %d: %w", sch.Fields[i].Name, w, at, encoding.ErrCorrupt)
		}
		sh.widths[i] = int(w)
		sh.offsets[i] = sh.recBits
		sh.recBits += int64(w)
	}
	at := d.Offset()
	var err error
	if sh.data, err = d.ReadBitArray(); err != nil {
		return nil, err
	}
	if err := sh.data.CheckBits(int64(count) * sh.recBits); err != nil {
		return nil, fmt.Errorf("record array at byte offset %d: %w", at, err)
	}
	for i := range sh.vars {
		n, err := d.VarLong()
		if err != nil {
			return nil, err
		}
		if sh.vars[i], err = d.Bytes(n); err != nil {
			return nil, err
		}
	}
	return sh, nil
}

func (sh *objectShard) raw(o, f int) uint64 {
	return sh.data.Get(int64(o)*sh.recBits+sh.offsets[f], sh.widths[f])
}

// varRange is the byte range of a STRING/BYTES value, ok=false for null.
func (sh *objectShard) varRange(o, f int) (start, end uint64, ok bool) {
	w := sh.widths[f]
	if w == 0 {
		return 0, 0, false
	}
	mask := allOnes(w - 1)
	v := sh.raw(o, f)
	end = v & mask
	if o > 0 {
		start = sh.raw(o-1, f) & mask
	}
	return start, end, v>>(uint(w)-1)&1 == 0
}

// validate checks what accessors rely on: in every STRING/BYTES field the
// end offsets never decrease and stay inside the byte area, so each record's
// bytes are a slice of it and all records together span it at most once.
// Its cost is bounded by the record array the blob carried.
func (sh *objectShard) validate(sch *schema.Schema) error {
	if sh.recBits == 0 {
		return nil
	}
	for f, fd := range sch.Fields {
		w := sh.widths[f]
		if !fd.Type.Variable() || w == 0 {
			continue
		}
		mask := allOnes(w - 1)
		var prev uint64
		for o := 0; o <= sh.maxOrdinal; o++ {
			end := sh.raw(o, f) & mask
			if end < prev || end > uint64(len(sh.vars[f])) {
				return fmt.Errorf("record %d field %s: byte range %d..%d outside %d bytes: %w", o, fd.Name, prev, end, len(sh.vars[f]), encoding.ErrCorrupt)
			}
			prev = end
		}
	}
	return nil
}

// varBytes returns a STRING/BYTES value's bytes, nil and false for null.
func (sh *objectShard) varBytes(o, f int) ([]byte, bool) {
	s, e, ok := sh.varRange(o, f)
	if !ok || s > e || e > uint64(len(sh.vars[f])) {
		return nil, false
	}
	return sh.vars[f][s:e:e], true
}

// mergeObject builds the shard a delta leads to: records kept from old
// (ordinals in keep) and records added by the delta, in the delta's widths.
func mergeObject(sch *schema.Schema, old *objectShard, keep func(int) bool, add *objectShard, added []int, maxOrdinal, top int) (*objectShard, error) {
	sh := &objectShard{maxOrdinal: maxOrdinal, widths: add.widths, offsets: add.offsets, recBits: add.recBits,
		vars: make([][]byte, len(sch.Fields))}
	sh.data = encoding.NewBitArray(int64(top+1) * sh.recBits)
	ends := make([]uint64, len(sch.Fields))
	next := 0 // index into added
	for o := 0; o <= top; o++ {
		src, so := (*objectShard)(nil), 0
		switch {
		case next < len(added) && added[next] == o:
			src, so = add, next
			next++
		case old != nil && keep(o):
			src, so = old, o
		}
		base := int64(o) * sh.recBits
		for f, fd := range sch.Fields {
			w := sh.widths[f]
			if fd.Type.Variable() {
				null := false
				if src != nil {
					b, ok := src.varBytes(so, f)
					null = !ok
					sh.vars[f] = append(sh.vars[f], b...)
					ends[f] += uint64(len(b))
				}
				if w == 0 || ends[f] > allOnes(w-1) {
					return nil, fmt.Errorf("field %s: %d bytes do not fit in %d bits: %w", fd.Name, ends[f], w, encoding.ErrCorrupt)
				}
				v := ends[f]
				if null {
					v |= 1 << uint(w-1)
				}
				sh.data.Set(base+sh.offsets[f], w, v)
				continue
			}
			if src == nil {
				continue
			}
			v := src.raw(so, f)
			sw := src.widths[f]
			if fd.Type == schema.Int || fd.Type == schema.Long || fd.Type == schema.Reference {
				if v == allOnes(sw) {
					v = allOnes(w) // null keeps meaning null at the new width
				} else if v >= allOnes(w) {
					return nil, fmt.Errorf("field %s: value does not fit in %d bits: %w", fd.Name, w, encoding.ErrCorrupt)
				}
			}
			sh.data.Set(base+sh.offsets[f], w, v)
		}
	}
	return sh, nil
}
