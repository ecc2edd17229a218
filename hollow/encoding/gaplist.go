package encoding

// AppendGapList writes ascending ordinals as Hollow's delta ordinal lists:
// a VarLong byte length, then the first ordinal and each gap as VarInts.
func AppendGapList(b []byte, ords []int) []byte {
	var body []byte
	prev := 0
	for _, o := range ords {
		body = AppendVarInt(body, int32(o-prev))
		prev = o
	}
	b = AppendVarLong(b, int64(len(body)))
	return append(b, body...)
}

// ReadGapList reads a gap-encoded list, refusing ordinals that are not
// ascending or exceed maxOrdinal.
func (d *Decoder) ReadGapList(maxOrdinal int) ([]int, error) {
	at := d.off
	n, err := d.VarLong()
	if err != nil {
		return nil, err
	}
	body, err := d.Bytes(n)
	if err != nil {
		return nil, err
	}
	sub := &Decoder{buf: body}
	var out []int
	prev := 0
	for sub.Remaining() > 0 {
		g, err := sub.VarInt()
		if err != nil {
			return nil, d.errorf(at, err, "read ordinal list")
		}
		o := prev + int(g)
		if g < 0 || (len(out) > 0 && g == 0) || o > maxOrdinal {
			return nil, d.errorf(at, ErrCorrupt, "read ordinal list: ordinal %d out of order or above %d", o, maxOrdinal)
		}
		out = append(out, o)
		prev = o
	}
	return out, nil
}
