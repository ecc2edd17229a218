package write

import (
	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/schema"
)

// hashOf is the hash Java uses to place element ordinal o of elemType in a
// SET or MAP: HashCodes.hashInt of the ordinal without a hash key, else the
// key fields' hashes combined as h = h*31 ^ hashInt(fieldHash).
func (e *StateEngine) hashOf(hashKey []string, elemType string, o int) int32 {
	if hashKey == nil {
		return encoding.HashInt(int32(o))
	}
	var h int32
	for _, p := range hashKey {
		h = h*31 ^ encoding.HashInt(e.fieldHash(elemType, o, splitPath(p)))
	}
	return h
}

func splitPath(p string) []string {
	var out []string
	start := 0
	for i := 0; i < len(p); i++ {
		if p[i] == '.' {
			out = append(out, p[start:i])
			start = i + 1
		}
	}
	return append(out, p[start:])
}

// fieldHash follows a key path from record o of typ and hashes the value it
// ends on. A path ending on a reference to a one-field type continues into
// that field, as Java's key paths auto-expand.
func (e *StateEngine) fieldHash(typ string, o int, path []string) int32 {
	for {
		t := e.types[typ]
		if t == nil || t.schema.Kind != schema.Object || o < 0 || o >= len(t.records) || t.records[o] == "" {
			return 0
		}
		var f int
		if len(path) > 0 {
			f = t.schema.FieldIndex(path[0])
			path = path[1:]
		} else if len(t.schema.Fields) == 1 {
			f = 0 // auto-expansion into the single field
		} else {
			return encoding.HashInt(int32(o))
		}
		if f < 0 {
			return 0
		}
		fd := t.schema.Fields[f]
		v := decodeObject(&t.schema, t.records[o], nil)[f]
		if !v.set {
			return 0
		}
		if fd.Type == schema.Reference {
			typ, o = fd.Ref, int(v.u)
			if len(path) == 0 {
				if rt := e.types[typ]; rt == nil || len(rt.schema.Fields) != 1 {
					return int32(o)
				}
			}
			continue
		}
		return valueHash(fd.Type, v)
	}
}

func valueHash(ft schema.FieldType, v value) int32 {
	switch ft {
	case schema.Int:
		return encoding.UnZigZag32(uint32(v.u))
	case schema.Long:
		return encoding.LongHash(encoding.UnZigZag64(v.u))
	case schema.Boolean:
		if v.u == 1 {
			return 1231
		}
		return 1237
	case schema.Float:
		return int32(uint32(v.u))
	case schema.Double:
		return encoding.LongHash(int64(v.u))
	case schema.String:
		u, _ := encoding.DecodeJavaString([]byte(v.b))
		return encoding.StringHash(u)
	case schema.Bytes:
		return encoding.Murmur3([]byte(v.b), encoding.BytesHashSeed)
	}
	return 0
}
