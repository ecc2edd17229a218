package index

import (
	"encoding/binary"
	"fmt"
	"math"
	"strings"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

// step is one resolved segment of a key path.
type step struct {
	typ   *read.Type
	field int
}

// resolve turns a dotted path into field positions from typ.
func resolve(s *read.State, typ string, path string) ([]step, schema.FieldType, error) {
	var steps []step
	segs := strings.Split(path, ".")
	for i := 0; ; i++ {
		t := s.Type(typ)
		if t == nil || t.Schema().Kind != schema.Object {
			return nil, 0, fmt.Errorf("resolve key path %s: %s is not an OBJECT type in the state", path, typ)
		}
		var f int
		switch {
		case i < len(segs):
			f = t.Schema().FieldIndex(segs[i])
			if f < 0 {
				return nil, 0, fmt.Errorf("resolve key path %s: %s has no field %s", path, typ, segs[i])
			}
		case len(t.Schema().Fields) == 1:
			f = 0 // auto-expansion into a one-field type
		default:
			return steps, schema.Reference, nil
		}
		steps = append(steps, step{t, f})
		fd := t.Schema().Fields[f]
		if fd.Type != schema.Reference {
			if i+1 < len(segs) {
				return nil, 0, fmt.Errorf("resolve key path %s: %s.%s is not a reference", path, typ, fd.Name)
			}
			return steps, fd.Type, nil
		}
		if i+1 >= len(segs) {
			if rt := s.Type(fd.Ref); rt == nil || len(rt.Schema().Fields) != 1 {
				return steps, schema.Reference, nil
			}
		}
		typ = fd.Ref
	}
}

// appendValue appends the encoded value at the end of steps from record o;
// ok is false when a reference on the way is null.
func appendValue(b []byte, steps []step, o int) ([]byte, bool) {
	for i, st := range steps {
		fd := st.typ.Schema().Fields[st.field]
		last := i == len(steps)-1
		if fd.Type == schema.Reference && !last {
			r, ok := st.typ.Ref(o, st.field)
			if !ok {
				return append(b, 0), true
			}
			o = r
			continue
		}
		return appendField(b, st.typ, o, st.field, fd.Type), true
	}
	return b, true
}

func appendField(b []byte, t *read.Type, o, f int, ft schema.FieldType) []byte {
	if t.IsNull(o, f) {
		return append(b, 0)
	}
	b = append(b, 1)
	switch ft {
	case schema.Int:
		v, _ := t.Int(o, f)
		return binary.AppendVarint(b, int64(v))
	case schema.Long:
		v, _ := t.Long(o, f)
		return binary.AppendVarint(b, v)
	case schema.Reference:
		v, _ := t.Ref(o, f)
		return binary.AppendVarint(b, int64(v))
	case schema.Boolean:
		v, _ := t.Bool(o, f)
		if v {
			return append(b, 1)
		}
		return append(b, 0)
	case schema.Float:
		v, _ := t.FloatBits(o, f)
		return binary.BigEndian.AppendUint32(b, v)
	case schema.Double:
		v, _ := t.DoubleBits(o, f)
		return binary.BigEndian.AppendUint64(b, v)
	case schema.String:
		v, _ := t.StringUTF16(o, f)
		b = binary.AppendUvarint(b, uint64(len(v)))
		return encoding.AppendJavaString(b, v)
	default:
		v, _ := t.Bytes(o, f)
		b = binary.AppendUvarint(b, uint64(len(v)))
		return append(b, v...)
	}
}

// appendQuery encodes a Go value as appendField encodes the field type.
func appendQuery(b []byte, ft schema.FieldType, v any) ([]byte, error) {
	if v == nil {
		return append(b, 0), nil
	}
	b = append(b, 1)
	switch ft {
	case schema.Int, schema.Long, schema.Reference:
		var x int64
		switch n := v.(type) {
		case int:
			x = int64(n)
		case int32:
			x = int64(n)
		case int64:
			x = n
		default:
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		return binary.AppendVarint(b, x), nil
	case schema.Boolean:
		x, ok := v.(bool)
		if !ok {
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		if x {
			return append(b, 1), nil
		}
		return append(b, 0), nil
	case schema.Float:
		x, ok := v.(float32)
		if !ok {
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		bits := math.Float32bits(x)
		if x != x {
			bits = 0x7fc00000
		}
		return binary.BigEndian.AppendUint32(b, bits), nil
	case schema.Double:
		x, ok := v.(float64)
		if !ok {
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		bits := math.Float64bits(x)
		if x != x {
			bits = 0x7ff8000000000000
		}
		return binary.BigEndian.AppendUint64(b, bits), nil
	case schema.String:
		x, ok := v.(string)
		if !ok {
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		u := encoding.ToUTF16(x)
		b = binary.AppendUvarint(b, uint64(len(u)))
		return encoding.AppendJavaString(b, u), nil
	default:
		x, ok := v.([]byte)
		if !ok {
			return nil, fmt.Errorf("query %s with %T", ft, v)
		}
		b = binary.AppendUvarint(b, uint64(len(x)))
		return append(b, x...), nil
	}
}

// Key computes a comparable key of record o of typ from field paths; the
// consumer uses it to pair removed and added records into modifications.
func Key(s *read.State, typ string, paths []string, o int) (string, error) {
	var b []byte
	for _, p := range paths {
		steps, _, err := resolve(s, typ, p)
		if err != nil {
			return "", err
		}
		b, _ = appendValue(b, steps, o)
	}
	return string(b), nil
}
