package encoding

import "math/bits"

// BitSet is a growable set of ordinals, serialised as Java's
// ThreadSafeBitSet.serializeBitsTo.
type BitSet struct {
	words []uint64
}

// Has reports whether o is set.
func (s *BitSet) Has(o int) bool {
	i := o >> 6
	return o >= 0 && i < len(s.words) && s.words[i]&(1<<uint(o&63)) != 0
}

// Add sets o.
func (s *BitSet) Add(o int) {
	i := o >> 6
	for i >= len(s.words) {
		s.words = append(s.words, 0)
	}
	s.words[i] |= 1 << uint(o&63)
}

// Remove clears o.
func (s *BitSet) Remove(o int) {
	i := o >> 6
	if o >= 0 && i < len(s.words) {
		s.words[i] &^= 1 << uint(o&63)
	}
}

// Clone copies the set.
func (s *BitSet) Clone() *BitSet {
	return &BitSet{words: append([]uint64(nil), s.words...)}
}

// Count is the number of set bits.
func (s *BitSet) Count() int {
	n := 0
	for _, w := range s.words {
		n += bits.OnesCount64(w)
	}
	return n
}

// Max is the largest set ordinal, -1 when empty.
func (s *BitSet) Max() int {
	for i := len(s.words) - 1; i >= 0; i-- {
		if w := s.words[i]; w != 0 {
			return i<<6 + 63 - bits.LeadingZeros64(w)
		}
	}
	return -1
}

// Next is the smallest set ordinal ≥ from, -1 when none.
func (s *BitSet) Next(from int) int {
	if from < 0 {
		from = 0
	}
	i := from >> 6
	if i >= len(s.words) {
		return -1
	}
	w := s.words[i] >> uint(from&63)
	if w != 0 {
		return from + bits.TrailingZeros64(w)
	}
	for i++; i < len(s.words); i++ {
		if s.words[i] != 0 {
			return i<<6 + bits.TrailingZeros64(s.words[i])
		}
	}
	return -1
}

// Ordinals lists the set ordinals in ascending order.
func (s *BitSet) Ordinals() []int {
	out := make([]int, 0, s.Count())
	for o := s.Next(0); o >= 0; o = s.Next(o + 1) {
		out = append(out, o)
	}
	return out
}

// javaSegmentLongs is ThreadSafeBitSet's default segment: 2^14 bits.
const javaSegmentLongs = 256

// AppendTo writes an int32 word count and the words; the count is a
// multiple of 256 as Java's default segments make it.
func (s *BitSet) AppendTo(b []byte) []byte {
	n := (len(s.words) + javaSegmentLongs - 1) / javaSegmentLongs * javaSegmentLongs
	if n == 0 {
		n = javaSegmentLongs
	}
	b = AppendInt32(b, int32(n))
	for i := 0; i < n; i++ {
		var w uint64
		if i < len(s.words) {
			w = s.words[i]
		}
		b = AppendInt64(b, int64(w))
	}
	return b
}

// AppendCompactTo writes only the words up to the last set bit; Java's
// reader accepts any word count. Tests and fuzz seeds use it to stay small.
func (s *BitSet) AppendCompactTo(b []byte) []byte {
	n := (s.Max() + 64) / 64
	b = AppendInt32(b, int32(n))
	for _, w := range s.words[:n] {
		b = AppendInt64(b, int64(w))
	}
	return b
}

// ReadBitSet reads a populated-ordinals bitset of any word count.
func (d *Decoder) ReadBitSet() (*BitSet, error) {
	at := d.off
	n, err := d.Int32()
	if err != nil {
		return nil, err
	}
	if n < 0 || int(n) > d.Remaining()/8 {
		return nil, d.errorf(at, ErrTruncated, "read bitset of %d words with %d bytes left", n, d.Remaining())
	}
	words := make([]uint64, n)
	for i := range words {
		v, _ := d.Int64()
		words[i] = uint64(v)
	}
	// Trailing zero words carry nothing; dropping them keeps Max cheap.
	for len(words) > 0 && words[len(words)-1] == 0 {
		words = words[:len(words)-1]
	}
	return &BitSet{words: words}, nil
}

// Equal reports whether two sets hold the same ordinals.
func (s *BitSet) Equal(o *BitSet) bool {
	a, b := s.words, o.words
	if len(a) < len(b) {
		a, b = b, a
	}
	for i, w := range a {
		var x uint64
		if i < len(b) {
			x = b[i]
		}
		if w != x {
			return false
		}
	}
	return true
}
