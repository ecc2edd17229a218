package schema

import (
	"testing"

	"github.com/keascope/keascope/hollow/encoding"
)

func FuzzRead(f *testing.F) {
	for _, s := range []Schema{
		{Kind: Object, Name: "M", PrimaryKey: []string{"ts", "name"}, Fields: []Field{{Name: "ts", Type: Long}, {Name: "name", Type: Reference, Ref: "String"}}},
		{Kind: List, Name: "ListOfX", Element: "X"},
		{Kind: Set, Name: "SetOfX", Element: "X", HashKey: []string{"value"}},
		{Kind: Map, Name: "MapOfXToY", Key: "X", Value: "Y", HashKey: []string{"a.b"}},
	} {
		b, _ := s.AppendTo(nil)
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := Read(encoding.NewDecoder(b))
		if err != nil {
			return
		}
		// What reads must write back to the same bytes.
		out, err := s.AppendTo(nil)
		if err != nil {
			return
		}
		back, err := Read(encoding.NewDecoder(out))
		if err != nil || !back.Equal(&s) {
			t.Fatalf("re-read %+v: %+v, %v", s, back, err)
		}
	})
}
