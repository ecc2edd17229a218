package write

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// Object is an OBJECT record being built. Fields left unset are null.
// Setter errors are kept and reported by StateEngine.Add.
type Object struct {
	ts   *typeState
	vals []value
	err  error
}

// value is one field: fixed fields hold Java's raw bits before packing
// (zigzag for INT/LONG), STRING holds the VarInt-per-code-unit bytes.
type value struct {
	set bool
	u   uint64
	b   string // STRING/BYTES bytes; a string so decoding shares the key
}

func (o *Object) field(name string, want schema.FieldType) *value {
	if o.err != nil {
		return nil
	}
	i := o.ts.schema.FieldIndex(name)
	if i < 0 {
		o.err = fmt.Errorf("set %s.%s: no such field", o.ts.schema.Name, name)
		return nil
	}
	if got := o.ts.schema.Fields[i].Type; got != want {
		o.err = fmt.Errorf("set %s.%s: field is %s, not %s", o.ts.schema.Name, name, got, want)
		return nil
	}
	return &o.vals[i]
}

// SetInt sets an INT field. Java reads math.MinInt32 back as null.
func (o *Object) SetInt(name string, v int32) *Object {
	if f := o.field(name, schema.Int); f != nil {
		*f = value{set: v != math.MinInt32, u: uint64(encoding.ZigZag32(v))}
	}
	return o
}

// SetLong sets a LONG field. Java reads math.MinInt64 back as null.
func (o *Object) SetLong(name string, v int64) *Object {
	if f := o.field(name, schema.Long); f != nil {
		*f = value{set: v != math.MinInt64, u: encoding.ZigZag64(v)}
	}
	return o
}

// SetBool sets a BOOLEAN field.
func (o *Object) SetBool(name string, v bool) *Object {
	if f := o.field(name, schema.Boolean); f != nil {
		*f = value{set: true}
		if v {
			f.u = 1
		}
	}
	return o
}

// SetFloat sets a FLOAT field; every NaN is written as Java's canonical NaN.
func (o *Object) SetFloat(name string, v float32) *Object {
	if f := o.field(name, schema.Float); f != nil {
		bits := uint64(math.Float32bits(v))
		if v != v {
			bits = 0x7fc00000
		}
		*f = value{set: true, u: bits}
	}
	return o
}

// SetDouble sets a DOUBLE field; every NaN is written as Java's canonical NaN.
func (o *Object) SetDouble(name string, v float64) *Object {
	if f := o.field(name, schema.Double); f != nil {
		bits := math.Float64bits(v)
		if v != v {
			bits = 0x7ff8000000000000
		}
		*f = value{set: true, u: bits}
	}
	return o
}

// SetString sets a STRING field from a Go string.
func (o *Object) SetString(name string, v string) *Object {
	for i := 0; i < len(v); i++ {
		if v[i] >= 0x80 {
			return o.SetStringUTF16(name, encoding.ToUTF16(v))
		}
	}
	// ASCII: one VarInt byte per code unit is the byte itself.
	if f := o.field(name, schema.String); f != nil {
		*f = value{set: true, b: v}
	}
	return o
}

// SetStringUTF16 sets a STRING field from Java's UTF-16 code units, which
// may hold unpaired surrogates.
func (o *Object) SetStringUTF16(name string, v []uint16) *Object {
	if f := o.field(name, schema.String); f != nil {
		*f = value{set: true, b: string(encoding.AppendJavaString(make([]byte, 0, len(v)), v))}
	}
	return o
}

// SetBytes sets a BYTES field; nil means null.
func (o *Object) SetBytes(name string, v []byte) *Object {
	if f := o.field(name, schema.Bytes); f != nil {
		*f = value{set: v != nil, b: string(v)}
	}
	return o
}

// SetRef sets a REFERENCE field to an ordinal of the referenced type, as
// returned by Add; a negative ordinal means null.
func (o *Object) SetRef(name string, ordinal int) *Object {
	if f := o.field(name, schema.Reference); f != nil {
		*f = value{set: ordinal >= 0, u: uint64(ordinal)}
	}
	return o
}

// SetNull makes a field null.
func (o *Object) SetNull(name string) *Object {
	if o.err != nil {
		return o
	}
	i := o.ts.schema.FieldIndex(name)
	if i < 0 {
		o.err = fmt.Errorf("set %s.%s: no such field", o.ts.schema.Name, name)
		return o
	}
	o.vals[i] = value{}
	return o
}

// keyMark starts every encoded record, so no record (an empty LIST, an
// OBJECT without fields) encodes to "", which marks a free ordinal.
const keyMark = 1

// encode serialises the record into buf; equal records encode to equal
// keys.
func (o *Object) encode(buf []byte) []byte {
	b := append(buf[:0], keyMark)
	for i, v := range o.vals {
		if !v.set {
			b = append(b, 0)
			continue
		}
		b = append(b, 1)
		if o.ts.schema.Fields[i].Type.Variable() {
			b = binary.AppendUvarint(b, uint64(len(v.b)))
			b = append(b, v.b...)
		} else {
			b = binary.AppendUvarint(b, v.u)
		}
	}
	return b
}

// decodeObject reverses encode into per-field values, without copying
// the key.
func decodeObject(sc *schema.Schema, key string, out []value) []value {
	out = out[:0]
	p := 1
	for _, f := range sc.Fields {
		if key[p] == 0 {
			out = append(out, value{})
			p++
			continue
		}
		p++
		u, n := uvarint(key[p:])
		p += n
		if f.Type.Variable() {
			out = append(out, value{set: true, b: key[p : p+int(u)]})
			p += int(u)
		} else {
			out = append(out, value{set: true, u: u})
		}
	}
	return out
}

// uvarint is binary.Uvarint over a string.
func uvarint(s string) (uint64, int) {
	var x uint64
	var sh uint
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 {
			return x | uint64(c)<<sh, i + 1
		}
		x |= uint64(c&0x7f) << sh
		sh += 7
	}
	return x, len(s)
}

// encodeOrdinals serialises LIST elements, sorted SET elements or sorted
// MAP (key, value) pairs.
func encodeOrdinals(ords []int) string {
	b := make([]byte, 1, 1+len(ords)*2)
	b[0] = keyMark
	for _, o := range ords {
		b = binary.AppendUvarint(b, uint64(o))
	}
	return string(b)
}

func decodeOrdinals(key string, out []int) []int {
	out = out[:0]
	for p := 1; p < len(key); {
		u, n := uvarint(key[p:])
		out = append(out, int(u))
		p += n
	}
	return out
}
