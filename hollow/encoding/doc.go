// Package encoding holds the primitives of the Hollow blob format as Java's
// library writes them: big-endian fixed-width integers, VarInt/VarLong,
// ZigZag, bit-packed arrays (Java's FixedLengthElementArray), gap-encoded
// ordinal lists, Java modified UTF-8, UTF-16 string conversion and the hash
// functions Java uses to place SET and MAP elements in buckets.
//
// The Decoder never panics and never allocates more than the bytes it has
// left, so hostile counts surface as errors carrying the byte offset.
package encoding
