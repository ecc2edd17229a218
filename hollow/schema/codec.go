package schema

import (
	"fmt"

	"github.com/keascope/keascope/hollow/encoding"
)

// Java's schema type ids (HollowSchema.SchemaType and its "with key" forms).
const (
	idObject        = 0
	idSet           = 1
	idList          = 2
	idMap           = 3
	idSetWithKey    = 4
	idMapWithKey    = 5
	idObjectWithKey = 6
)

// AppendTo appends the schema as Java writes it.
func (s *Schema) AppendTo(b []byte) ([]byte, error) {
	var err error
	utf := func(v string) {
		if err == nil {
			b, err = encoding.AppendUTF(b, v)
		}
	}
	paths := func(p []string) {
		b = encoding.AppendVarInt(b, int32(len(p)))
		for _, f := range p {
			utf(f)
		}
	}
	switch s.Kind {
	case Object:
		if s.PrimaryKey != nil {
			b = append(b, idObjectWithKey)
		} else {
			b = append(b, idObject)
		}
		utf(s.Name)
		if s.PrimaryKey != nil {
			paths(s.PrimaryKey)
		}
		b = encoding.AppendInt16(b, int16(len(s.Fields)))
		for _, f := range s.Fields {
			utf(f.Name)
			utf(f.Type.String())
			if f.Type == Reference {
				utf(f.Ref)
			}
		}
	case List:
		b = append(b, idList)
		utf(s.Name)
		utf(s.Element)
	case Set:
		if s.HashKey != nil {
			b = append(b, idSetWithKey)
		} else {
			b = append(b, idSet)
		}
		utf(s.Name)
		utf(s.Element)
		if s.HashKey != nil {
			paths(s.HashKey)
		}
	case Map:
		if s.HashKey != nil {
			b = append(b, idMapWithKey)
		} else {
			b = append(b, idMap)
		}
		utf(s.Name)
		utf(s.Key)
		utf(s.Value)
		if s.HashKey != nil {
			paths(s.HashKey)
		}
	default:
		return b, fmt.Errorf("write schema %s: unknown kind %d", s.Name, s.Kind)
	}
	if err != nil {
		return b, fmt.Errorf("write schema %s: %w", s.Name, err)
	}
	return b, nil
}

// Read reads one schema.
func Read(d *encoding.Decoder) (Schema, error) {
	at := d.Offset()
	s, err := read(d)
	if err != nil {
		return Schema{}, fmt.Errorf("read schema at byte offset %d: %w", at, err)
	}
	return s, nil
}

func read(d *encoding.Decoder) (Schema, error) {
	var s Schema
	id, err := d.Byte()
	if err != nil {
		return s, err
	}
	if s.Name, err = d.UTF(); err != nil {
		return s, err
	}
	paths := func() ([]string, error) {
		n, err := d.Count("key path count")
		if err != nil {
			return nil, err
		}
		// Each path takes at least two bytes, which bounds the allocation.
		if n > d.Remaining()/2 {
			return nil, fmt.Errorf("key path count %d exceeds data: %w", n, encoding.ErrTruncated)
		}
		out := make([]string, n)
		for i := range out {
			if out[i], err = d.UTF(); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	switch id {
	case idObject, idObjectWithKey:
		s.Kind = Object
		if id == idObjectWithKey {
			if s.PrimaryKey, err = paths(); err != nil {
				return s, err
			}
		}
		n, err := d.Int16()
		if err != nil {
			return s, err
		}
		if n < 0 || int(n) > d.Remaining()/4 {
			return s, fmt.Errorf("type %s: field count %d exceeds data: %w", s.Name, n, encoding.ErrCorrupt)
		}
		s.Fields = make([]Field, n)
		for i := range s.Fields {
			f := &s.Fields[i]
			if f.Name, err = d.UTF(); err != nil {
				return s, err
			}
			tn, err := d.UTF()
			if err != nil {
				return s, err
			}
			var ok bool
			if f.Type, ok = ParseFieldType(tn); !ok {
				return s, fmt.Errorf("type %s field %s: unknown field type %q: %w", s.Name, f.Name, tn, encoding.ErrCorrupt)
			}
			if f.Type == Reference {
				if f.Ref, err = d.UTF(); err != nil {
					return s, err
				}
			}
		}
	case idList:
		s.Kind = List
		s.Element, err = d.UTF()
	case idSet, idSetWithKey:
		s.Kind = Set
		if s.Element, err = d.UTF(); err == nil && id == idSetWithKey {
			s.HashKey, err = paths()
		}
	case idMap, idMapWithKey:
		s.Kind = Map
		if s.Key, err = d.UTF(); err != nil {
			return s, err
		}
		if s.Value, err = d.UTF(); err == nil && id == idMapWithKey {
			s.HashKey, err = paths()
		}
	default:
		return s, fmt.Errorf("type %s: unknown schema kind %d: %w", s.Name, id, encoding.ErrCorrupt)
	}
	return s, err
}
