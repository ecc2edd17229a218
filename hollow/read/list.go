package read

import (
	"fmt"

	"github.com/keascope/keascope/hollow/encoding"
)

// listShard is one shard of a LIST type: an end pointer per record into
// one array of element ordinals.
type listShard struct {
	maxOrdinal int
	ptrBits    int
	elemBits   int
	total      int64
	ptrs       *encoding.BitArray
	elems      *encoding.BitArray
}

func readWidth(d *encoding.Decoder, what string) (int, error) {
	at := d.Offset()
	w, err := d.VarInt()
	if err != nil {
		return 0, err
	}
	if w < 0 || w > 64 {
		return 0, fmt.Errorf("%s width %d at byte offset %d: %w", what, w, at, encoding.ErrCorrupt)
	}
	return int(w), nil
}

func readListData(d *encoding.Decoder, count int) (*listShard, error) {
	sh := &listShard{maxOrdinal: count - 1}
	var err error
	if sh.ptrBits, err = readWidth(d, "list pointer"); err != nil {
		return nil, err
	}
	if sh.elemBits, err = readWidth(d, "list element"); err != nil {
		return nil, err
	}
	at := d.Offset()
	if sh.total, err = d.VarLong(); err != nil {
		return nil, err
	}
	if sh.total < 0 {
		return nil, fmt.Errorf("list element total %d at byte offset %d: %w", sh.total, at, encoding.ErrCorrupt)
	}
	at = d.Offset()
	if sh.ptrs, err = d.ReadBitArray(); err != nil {
		return nil, err
	}
	if err := sh.ptrs.CheckBits(int64(count) * int64(sh.ptrBits)); err != nil {
		return nil, fmt.Errorf("pointer array at byte offset %d: %w", at, err)
	}
	if sh.elems, err = d.ReadBitArray(); err != nil {
		return nil, err
	}
	sh.total = capacity(sh.elems, sh.elemBits, sh.total)
	return sh, nil
}

// capacity bounds a declared element count by what the array can hold (a
// delta declares totals over both states but carries only added records).
func capacity(a *encoding.BitArray, width int, declared int64) int64 {
	if width <= 0 {
		return 0
	}
	return min(declared, int64(a.NumWords())*64/int64(width))
}

func (sh *listShard) bounds(o int) (start, end int64) {
	end = int64(sh.ptrs.Get(int64(o)*int64(sh.ptrBits), sh.ptrBits))
	if o > 0 {
		start = int64(sh.ptrs.Get(int64(o-1)*int64(sh.ptrBits), sh.ptrBits))
	}
	return start, end
}

// validate checks that end pointers never decrease and stay within the
// elements, so all records together span the elements at most once.
func (sh *listShard) validate() error {
	if sh.ptrBits == 0 {
		return nil
	}
	var prev int64
	for o := 0; o <= sh.maxOrdinal; o++ {
		_, e := sh.bounds(o)
		if e < prev || e > sh.total {
			return fmt.Errorf("record %d: elements %d..%d outside %d: %w", o, prev, e, sh.total, encoding.ErrCorrupt)
		}
		prev = e
	}
	return nil
}

func (sh *listShard) elements(o int) []int {
	s, e := sh.bounds(o)
	if s > e || e > sh.total {
		return nil
	}
	out := make([]int, 0, e-s)
	for i := s; i < e; i++ {
		out = append(out, int(sh.elems.Get(i*int64(sh.elemBits), sh.elemBits)))
	}
	return out
}

func mergeList(old *listShard, keep func(int) bool, add *listShard, added []int, maxOrdinal, top int) (*listShard, error) {
	sh := &listShard{maxOrdinal: maxOrdinal, ptrBits: add.ptrBits, elemBits: add.elemBits}
	var elems []int
	ends := make([]int64, top+1)
	next := 0
	for o := 0; o <= top; o++ {
		switch {
		case next < len(added) && added[next] == o:
			elems = append(elems, add.elements(next)...)
			next++
		case old != nil && keep(o):
			elems = append(elems, old.elements(o)...)
		}
		ends[o] = int64(len(elems))
	}
	sh.total = int64(len(elems))
	if uint64(sh.total) > allOnes(sh.ptrBits) {
		return nil, fmt.Errorf("%d elements do not fit in %d-bit pointers: %w", sh.total, sh.ptrBits, encoding.ErrCorrupt)
	}
	sh.ptrs = encoding.NewBitArray(int64(top+1) * int64(sh.ptrBits))
	for o, e := range ends {
		sh.ptrs.Set(int64(o)*int64(sh.ptrBits), sh.ptrBits, uint64(e))
	}
	sh.elems = encoding.NewBitArray(sh.total * int64(sh.elemBits))
	for i, e := range elems {
		if uint64(e) > allOnes(sh.elemBits) {
			return nil, fmt.Errorf("element %d does not fit in %d bits: %w", e, sh.elemBits, encoding.ErrCorrupt)
		}
		sh.elems.Set(int64(i)*int64(sh.elemBits), sh.elemBits, uint64(e))
	}
	return sh, nil
}
