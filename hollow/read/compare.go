package read

import (
	"bytes"
	"slices"

	"github.com/keascope/keascope/hollow/schema"
)

// SameRecord reports whether record a of ta and record b of tb hold the same
// data (same field values or element ordinals). Both types must share a
// schema.
func SameRecord(ta *Type, a int, tb *Type, b int) bool {
	if ta.Has(a) != tb.Has(b) {
		return false
	}
	sc := ta.Schema()
	switch sc.Kind {
	case schema.Object:
		for f, fd := range sc.Fields {
			switch fd.Type {
			case schema.String, schema.Bytes:
				bx, nx := ta.rawVar(a, f)
				by, ny := tb.rawVar(b, f)
				if nx != ny || !bytes.Equal(bx, by) {
					return false
				}
			default:
				if ta.Value(a, f) != tb.Value(b, f) {
					return false
				}
			}
		}
		return true
	case schema.Map:
		x, y := ta.Entries(a), tb.Entries(b)
		slices.SortFunc(x, cmpPair)
		slices.SortFunc(y, cmpPair)
		return slices.Equal(x, y)
	case schema.Set:
		x, y := ta.Elements(a), tb.Elements(b)
		slices.Sort(x)
		slices.Sort(y)
		return slices.Equal(x, y)
	}
	return slices.Equal(ta.Elements(a), tb.Elements(b))
}

func cmpPair(a, b [2]int) int {
	if a[0] != b[0] {
		return a[0] - b[0]
	}
	return a[1] - b[1]
}

// rawVar returns a STRING/BYTES field's bytes and whether it is non-null.
func (t *Type) rawVar(o, f int) ([]byte, bool) {
	sh, l, ok := t.object(o, f)
	if !ok {
		return nil, false
	}
	return sh.varBytes(l, f)
}
