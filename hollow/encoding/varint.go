package encoding

import "math/bits"

// AppendVarInt appends v as Java's VarInt.writeVInt does: 7-bit groups, most
// significant first. A negative int takes five bytes, as in Java.
func AppendVarInt(b []byte, v int32) []byte {
	return appendVar(b, uint64(uint32(v)))
}

// AppendVarLong appends v as Java's VarInt.writeVLong does; a negative long
// takes ten bytes.
func AppendVarLong(b []byte, v int64) []byte {
	return appendVar(b, uint64(v))
}

func appendVar(b []byte, u uint64) []byte {
	n := VarSize(u)
	for i := n - 1; i > 0; i-- {
		b = append(b, 0x80|byte(u>>(7*uint(i))))
	}
	return append(b, byte(u&0x7f))
}

// VarSize is the number of bytes u takes as a VarInt/VarLong.
func VarSize(u uint64) int {
	if u == 0 {
		return 1
	}
	return (bits.Len64(u) + 6) / 7
}

// VarIntSize is the size of an int written with AppendVarInt.
func VarIntSize(v int32) int { return VarSize(uint64(uint32(v))) }

// ZigZag32 maps a signed int onto an unsigned one, small magnitudes first.
func ZigZag32(v int32) uint32 { return uint32((v << 1) ^ (v >> 31)) }

// UnZigZag32 reverses ZigZag32.
func UnZigZag32(u uint32) int32 { return int32(u>>1) ^ -int32(u&1) }

// ZigZag64 maps a signed long onto an unsigned one.
func ZigZag64(v int64) uint64 { return uint64((v << 1) ^ (v >> 63)) }

// UnZigZag64 reverses ZigZag64.
func UnZigZag64(u uint64) int64 { return int64(u>>1) ^ -int64(u&1) }

// BitLen is the number of bits needed for u (0 for 0), Java's
// 64 - Long.numberOfLeadingZeros(u).
func BitLen(u uint64) int { return bits.Len64(u) }
