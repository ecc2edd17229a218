package encoding

import "fmt"

// BitArray is Java's FixedLengthElementArray: elements of up to 64 bits
// packed LSB-first into 64-bit words, an element continuing into the low bits
// of the next word.
type BitArray struct {
	words []uint64
}

// NewBitArray holds at least nbits bits.
func NewBitArray(nbits int64) *BitArray {
	return &BitArray{words: make([]uint64, WordsFor(nbits))}
}

// WordsFor is the number of 64-bit words that hold nbits.
func WordsFor(nbits int64) int64 { return (nbits + 63) >> 6 }

// NumWords is the array's length in words.
func (a *BitArray) NumWords() int { return len(a.words) }

// Get reads width bits at bit offset off. Bits beyond the array read as 0.
func (a *BitArray) Get(off int64, width int) uint64 {
	if width == 0 {
		return 0
	}
	i := off >> 6
	s := uint(off & 63)
	if i >= int64(len(a.words)) || i < 0 {
		return 0
	}
	v := a.words[i] >> s
	if s+uint(width) > 64 && i+1 < int64(len(a.words)) {
		v |= a.words[i+1] << (64 - s)
	}
	if width < 64 {
		v &= 1<<uint(width) - 1
	}
	return v
}

// Set writes width bits of v at bit offset off; the bits must be zero.
func (a *BitArray) Set(off int64, width int, v uint64) {
	if width == 0 {
		return
	}
	if width < 64 {
		v &= 1<<uint(width) - 1
	}
	i := off >> 6
	s := uint(off & 63)
	a.words[i] |= v << s
	if s+uint(width) > 64 {
		a.words[i+1] |= v >> (64 - s)
	}
}

// AppendTo writes the array as Java's SegmentedLongArray.writeTo: VarLong
// word count then big-endian words.
func (a *BitArray) AppendTo(b []byte) []byte {
	b = AppendVarLong(b, int64(len(a.words)))
	for _, w := range a.words {
		b = AppendInt64(b, int64(w))
	}
	return b
}

// ReadBitArray reads what AppendTo wrote, refusing a word count larger than
// the remaining bytes.
func (d *Decoder) ReadBitArray() (*BitArray, error) {
	at := d.off
	n, err := d.VarLong()
	if err != nil {
		return nil, err
	}
	if n < 0 || n > int64(d.Remaining()/8) {
		return nil, d.errorf(at, ErrTruncated, "read bit array of %d words with %d bytes left", n, d.Remaining())
	}
	words := make([]uint64, n)
	for i := range words {
		b := d.buf[d.off : d.off+8]
		words[i] = uint64(b[0])<<56 | uint64(b[1])<<48 | uint64(b[2])<<40 | uint64(b[3])<<32 |
			uint64(b[4])<<24 | uint64(b[5])<<16 | uint64(b[6])<<8 | uint64(b[7])
		d.off += 8
	}
	return &BitArray{words: words}, nil
}

// CheckBits reports an error when an array of words cannot hold nbits.
func (a *BitArray) CheckBits(nbits int64) error {
	if nbits < 0 || WordsFor(nbits) > int64(len(a.words)) {
		return fmt.Errorf("bit array of %d words cannot hold %d bits: %w", len(a.words), nbits, ErrCorrupt)
	}
	return nil
}
