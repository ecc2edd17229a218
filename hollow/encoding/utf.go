package encoding

import (
	"unicode/utf16"
	"unicode/utf8"
)

// ToUTF16 converts a Go string to Java's UTF-16 code units. Invalid UTF-8
// bytes become U+FFFD, as Java's decoders do.
func ToUTF16(s string) []uint16 {
	out := make([]uint16, 0, len(s))
	for _, r := range s {
		if r >= 0x10000 {
			r1, r2 := utf16.EncodeRune(r)
			out = append(out, uint16(r1), uint16(r2))
			continue
		}
		out = append(out, uint16(r))
	}
	return out
}

// FromUTF16 converts UTF-16 code units to a Go string; an unpaired
// surrogate becomes U+FFFD (Go strings cannot hold one).
func FromUTF16(u []uint16) string {
	ascii := true
	for _, c := range u {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		b := make([]byte, len(u))
		for i, c := range u {
			b[i] = byte(c)
		}
		return string(b)
	}
	return string(utf16.Decode(u))
}

// EncodeModifiedUTF8 is Java's modified UTF-8: U+0000 as C0 80 and each
// surrogate of a supplementary character as its own 3-byte sequence.
func EncodeModifiedUTF8(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, c := range ToUTF16(s) {
		switch {
		case c != 0 && c < 0x80:
			out = append(out, byte(c))
		case c < 0x800:
			out = append(out, 0xc0|byte(c>>6), 0x80|byte(c&0x3f))
		default:
			out = append(out, 0xe0|byte(c>>12), 0x80|byte((c>>6)&0x3f), 0x80|byte(c&0x3f))
		}
	}
	return out
}

// DecodeModifiedUTF8 reverses EncodeModifiedUTF8, refusing malformed input
// as Java's readUTF does.
func DecodeModifiedUTF8(b []byte) (string, error) {
	if utf8.Valid(b) && isPlain(b) {
		return string(b), nil
	}
	u := make([]uint16, 0, len(b))
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c < 0x80:
			u = append(u, uint16(c))
			i++
		case c&0xe0 == 0xc0:
			if i+1 >= len(b) || b[i+1]&0xc0 != 0x80 {
				return "", ErrCorrupt
			}
			u = append(u, uint16(c&0x1f)<<6|uint16(b[i+1]&0x3f))
			i += 2
		case c&0xf0 == 0xe0:
			if i+2 >= len(b) || b[i+1]&0xc0 != 0x80 || b[i+2]&0xc0 != 0x80 {
				return "", ErrCorrupt
			}
			u = append(u, uint16(c&0x0f)<<12|uint16(b[i+1]&0x3f)<<6|uint16(b[i+2]&0x3f))
			i += 3
		default:
			return "", ErrCorrupt
		}
	}
	return FromUTF16(u), nil
}

// isPlain reports whether b has no bytes that modified UTF-8 treats
// differently from UTF-8 (4-byte sequences).
func isPlain(b []byte) bool {
	for _, c := range b {
		if c >= 0xf0 {
			return false
		}
	}
	return true
}
