package read

import (
	"fmt"

	"github.com/keascope/keascope/hollow/encoding"
)

// bucketShard is one shard of a SET or MAP type: per record an end bucket
// and a size, then open-addressed buckets of element (or key, value)
// ordinals. A SET has no value bits.
type bucketShard struct {
	maxOrdinal int
	ptrBits    int
	sizeBits   int
	keyBits    int
	valBits    int
	total      int64
	ptrs       *encoding.BitArray
	buckets    *encoding.BitArray
}

func readBucketData(d *encoding.Decoder, count int, isMap bool) (*bucketShard, error) {
	sh := &bucketShard{maxOrdinal: count - 1}
	var err error
	if sh.ptrBits, err = readWidth(d, "bucket pointer"); err != nil {
		return nil, err
	}
	if sh.sizeBits, err = readWidth(d, "size"); err != nil {
		return nil, err
	}
	if sh.keyBits, err = readWidth(d, "element"); err != nil {
		return nil, err
	}
	if isMap {
		if sh.valBits, err = readWidth(d, "value"); err != nil {
			return nil, err
		}
	}
	at := d.Offset()
	if sh.total, err = d.VarLong(); err != nil {
		return nil, err
	}
	if sh.total < 0 {
		return nil, fmt.Errorf("bucket total %d at byte offset %d: %w", sh.total, at, encoding.ErrCorrupt)
	}
	at = d.Offset()
	if sh.ptrs, err = d.ReadBitArray(); err != nil {
		return nil, err
	}
	if err := sh.ptrs.CheckBits(int64(count) * int64(sh.ptrBits+sh.sizeBits)); err != nil {
		return nil, fmt.Errorf("pointer array at byte offset %d: %w", at, err)
	}
	if sh.buckets, err = d.ReadBitArray(); err != nil {
		return nil, err
	}
	// A delta declares the total over both states, its array holds only the
	// added records' buckets: trust no more buckets than the array holds.
	sh.total = capacity(sh.buckets, sh.keyBits+sh.valBits, sh.total)
	return sh, nil
}

func (sh *bucketShard) bounds(o int) (start, end int64, size int) {
	rec := int64(sh.ptrBits + sh.sizeBits)
	end = int64(sh.ptrs.Get(int64(o)*rec, sh.ptrBits))
	size = int(sh.ptrs.Get(int64(o)*rec+int64(sh.ptrBits), sh.sizeBits))
	if o > 0 {
		start = int64(sh.ptrs.Get(int64(o-1)*rec, sh.ptrBits))
	}
	return start, end, size
}

// validate checks that end pointers never decrease and stay within the
// buckets, and that no size exceeds its buckets.
func (sh *bucketShard) validate() error {
	if sh.ptrBits+sh.sizeBits == 0 {
		return nil
	}
	var prev int64
	for o := 0; o <= sh.maxOrdinal; o++ {
		_, e, n := sh.bounds(o)
		if e < prev || e > sh.total || int64(n) > e-prev {
			return fmt.Errorf("record %d: buckets %d..%d (size %d) outside %d: %w", o, prev, e, n, sh.total, encoding.ErrCorrupt)
		}
		prev = e
	}
	return nil
}

// bucket returns the key and value of bucket i; ok=false when empty.
func (sh *bucketShard) bucket(i int64) (k, v int, ok bool) {
	off := i * int64(sh.keyBits+sh.valBits)
	kr := sh.buckets.Get(off, sh.keyBits)
	if kr == allOnes(sh.keyBits) {
		return 0, 0, false
	}
	return int(kr), int(sh.buckets.Get(off+int64(sh.keyBits), sh.valBits)), true
}

// entries lists a record's occupied buckets in bucket order.
func (sh *bucketShard) entries(o int) [][2]int {
	s, e, n := sh.bounds(o)
	if s > e || e > sh.total {
		return nil
	}
	out := make([][2]int, 0, min(int64(n), e-s))
	for i := s; i < e; i++ {
		if k, v, ok := sh.bucket(i); ok {
			out = append(out, [2]int{k, v})
		}
	}
	return out
}

// rawBuckets yields a record's buckets, empty ones with ok=false, so a
// merge keeps Java's placement.
func (sh *bucketShard) rawBuckets(o int, fn func(k, v int, ok bool)) (size int) {
	s, e, n := sh.bounds(o)
	if s > e || e > sh.total {
		return 0
	}
	for i := s; i < e; i++ {
		fn(sh.bucket(i))
	}
	return n
}

type bucketVal struct {
	k, v int
	ok   bool
}

func mergeBuckets(old *bucketShard, keep func(int) bool, add *bucketShard, added []int, maxOrdinal, top int) (*bucketShard, error) {
	sh := &bucketShard{maxOrdinal: maxOrdinal, ptrBits: add.ptrBits, sizeBits: add.sizeBits, keyBits: add.keyBits, valBits: add.valBits}
	var bs []bucketVal
	ends := make([]int64, top+1)
	sizes := make([]int, top+1)
	collect := func(k, v int, ok bool) { bs = append(bs, bucketVal{k, v, ok}) }
	next := 0
	for o := 0; o <= top; o++ {
		switch {
		case next < len(added) && added[next] == o:
			sizes[o] = add.rawBuckets(next, collect)
			next++
		case old != nil && keep(o):
			sizes[o] = old.rawBuckets(o, collect)
		}
		ends[o] = int64(len(bs))
	}
	sh.total = int64(len(bs))
	if uint64(sh.total) > allOnes(sh.ptrBits) {
		return nil, fmt.Errorf("%d buckets do not fit in %d-bit pointers: %w", sh.total, sh.ptrBits, encoding.ErrCorrupt)
	}
	rec := int64(sh.ptrBits + sh.sizeBits)
	sh.ptrs = encoding.NewBitArray(int64(top+1) * rec)
	for o, e := range ends {
		if uint64(sizes[o]) > allOnes(sh.sizeBits) {
			return nil, fmt.Errorf("size %d does not fit in %d bits: %w", sizes[o], sh.sizeBits, encoding.ErrCorrupt)
		}
		sh.ptrs.Set(int64(o)*rec, sh.ptrBits, uint64(e))
		sh.ptrs.Set(int64(o)*rec+int64(sh.ptrBits), sh.sizeBits, uint64(sizes[o]))
	}
	bw := int64(sh.keyBits + sh.valBits)
	sh.buckets = encoding.NewBitArray(sh.total * bw)
	empty := allOnes(sh.keyBits)
	for i, b := range bs {
		if !b.ok {
			sh.buckets.Set(int64(i)*bw, sh.keyBits, empty)
			continue
		}
		if uint64(b.k) >= empty || uint64(b.v) > allOnes(sh.valBits) {
			return nil, fmt.Errorf("bucket entry %d=%d does not fit in %d+%d bits: %w", b.k, b.v, sh.keyBits, sh.valBits, encoding.ErrCorrupt)
		}
		sh.buckets.Set(int64(i)*bw, sh.keyBits, uint64(b.k))
		sh.buckets.Set(int64(i)*bw+int64(sh.keyBits), sh.valBits, uint64(b.v))
	}
	return sh, nil
}
