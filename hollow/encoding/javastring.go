package encoding

// AppendJavaString appends UTF-16 code units as Hollow stores STRING field
// bytes: one VarInt per code unit.
func AppendJavaString(b []byte, u []uint16) []byte {
	for _, c := range u {
		b = appendVar(b, uint64(c))
	}
	return b
}

// DecodeJavaString reads STRING field bytes back into UTF-16 code units.
// A malformed sequence yields ErrCorrupt.
func DecodeJavaString(b []byte) ([]uint16, error) {
	out := make([]uint16, 0, len(b))
	d := Decoder{buf: b}
	for d.Remaining() > 0 {
		v, err := d.varUint(3)
		if err != nil {
			return nil, ErrCorrupt
		}
		out = append(out, uint16(v))
	}
	return out, nil
}

// JavaStringToGo decodes STRING field bytes straight into a Go string.
func JavaStringToGo(b []byte) (string, error) {
	ascii := true
	for _, c := range b {
		if c >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return string(b), nil
	}
	u, err := DecodeJavaString(b)
	if err != nil {
		return "", err
	}
	return FromUTF16(u), nil
}
