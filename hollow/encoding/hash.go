package encoding

import (
	"encoding/binary"
	"math/bits"
)

// HashInt is Java Hollow's HashCodes.hashInt, which spreads an int before it
// is masked to a bucket.
func HashInt(key int32) int32 {
	k := uint32(key)
	k = ^k + (k << 15)
	k ^= k >> 12
	k += k << 2
	k ^= k >> 4
	k *= 2057
	k ^= k >> 16
	return int32(k)
}

// StringHash is Java's String.hashCode over UTF-16 code units.
func StringHash(u []uint16) int32 {
	var h int32
	for _, c := range u {
		h = 31*h + int32(c)
	}
	return h
}

// LongHash folds a long as Java's Long.hashCode does.
func LongHash(v int64) int32 { return int32(v ^ int64(uint64(v)>>32)) }

// BytesHashSeed is the seed Hollow's HashCodes uses for byte arrays.
const BytesHashSeed = 0xeab524b9

// Murmur3 is MurmurHash3 x86_32 over b with seed.
func Murmur3(b []byte, seed uint32) int32 {
	const c1, c2 = 0xcc9e2d51, 0x1b873593
	h := seed
	n := len(b) / 4
	for i := 0; i < n; i++ {
		k := binary.LittleEndian.Uint32(b[4*i:])
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
		h = bits.RotateLeft32(h, 13)
		h = h*5 + 0xe6546b64
	}
	tail := b[4*n:]
	var k uint32
	switch len(tail) {
	case 3:
		k ^= uint32(tail[2]) << 16
		fallthrough
	case 2:
		k ^= uint32(tail[1]) << 8
		fallthrough
	case 1:
		k ^= uint32(tail[0])
		k *= c1
		k = bits.RotateLeft32(k, 15)
		k *= c2
		h ^= k
	}
	h ^= uint32(len(b))
	h ^= h >> 16
	h *= 0x85ebca6b
	h ^= h >> 13
	h *= 0xc2b2ae35
	h ^= h >> 16
	return int32(h)
}
