package write

import (
	"fmt"
	"slices"

	"github.com/keascope/keascope/hollow/encoding"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

// Restore makes a read state the engine's current state, with the same
// ordinals, shard counts, tag and header tags, so the next cycle's delta
// continues that state's chain. Types the engine declared but the state
// lacks stay empty.
func (e *StateEngine) Restore(rs *read.State) error {
	for _, name := range rs.TypeNames() {
		rt := rs.Type(name)
		if err := e.AddType(*rt.Schema()); err != nil {
			return fmt.Errorf("restore: %w", err)
		}
	}
	for _, name := range rs.TypeNames() {
		rt := rs.Type(name)
		t := e.types[name]
		t.numShards = rt.NumShards()
		t.cached = nil
		t.shardsFixed = true
		t.records, t.index, t.free = nil, map[string]int{}, nil
		t.prev, t.cur = encoding.BitSet{}, encoding.BitSet{}
		for o := range rt.Ordinals() {
			t.place(o, encodeRead(rt, o))
		}
	}
	e.tag = rs.RandomizedTag()
	e.prevTag = rs.OriginTag()
	e.headerTags = map[string]string{}
	for k, v := range rs.HeaderTags() {
		e.headerTags[k] = v
	}
	return nil
}

// place puts an encoded record at a given ordinal of the current state.
func (t *typeState) place(o int, key string) {
	t.invalidate()
	for len(t.records) <= o {
		t.records = append(t.records, "")
	}
	t.records[o] = key
	if _, dup := t.index[key]; !dup {
		t.index[key] = o
	}
	t.cur.Add(o)
}

// encodeRead encodes record o of a read type as the engine stores records.
func encodeRead(rt *read.Type, o int) string {
	sc := rt.Schema()
	switch sc.Kind {
	case schema.Object:
		obj := &Object{ts: &typeState{schema: *sc}, vals: make([]value, len(sc.Fields))}
		for f, fd := range sc.Fields {
			var v value
			switch fd.Type {
			case schema.Int:
				x, ok := rt.Int(o, f)
				v = value{set: ok, u: uint64(encoding.ZigZag32(x))}
			case schema.Long:
				x, ok := rt.Long(o, f)
				v = value{set: ok, u: encoding.ZigZag64(x)}
			case schema.Reference:
				x, ok := rt.Ref(o, f)
				v = value{set: ok, u: uint64(x)}
			case schema.Boolean:
				x, ok := rt.Bool(o, f)
				v = value{set: ok}
				if x {
					v.u = 1
				}
			case schema.Float:
				x, ok := rt.FloatBits(o, f)
				v = value{set: ok, u: uint64(x)}
			case schema.Double:
				x, ok := rt.DoubleBits(o, f)
				v = value{set: ok, u: x}
			case schema.String:
				x, ok := rt.StringUTF16(o, f)
				v = value{set: ok, b: string(encoding.AppendJavaString(nil, x))}
			case schema.Bytes:
				x, ok := rt.Bytes(o, f)
				v = value{set: ok, b: string(x)}
			}
			if !v.set {
				v = value{}
			}
			obj.vals[f] = v
		}
		return string(obj.encode(nil))
	case schema.List:
		return encodeOrdinals(rt.Elements(o))
	case schema.Set:
		es := rt.Elements(o)
		slices.Sort(es)
		return encodeOrdinals(es)
	default:
		es := rt.Entries(o)
		slices.SortFunc(es, cmpPair)
		flat := make([]int, 0, 2*len(es))
		for _, kv := range es {
			flat = append(flat, kv[0], kv[1])
		}
		return encodeOrdinals(flat)
	}
}
