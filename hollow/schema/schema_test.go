package schema

import (
	"testing"

	"github.com/keascope/keascope/hollow/encoding"
)

func TestRoundTrip(t *testing.T) {
	for _, s := range []Schema{
		{Kind: Object, Name: "M", PrimaryKey: []string{"ts", "name"}, Fields: []Field{
			{Name: "ts", Type: Long}, {Name: "name", Type: Reference, Ref: "String"}, {Name: "b", Type: Bytes}}},
		{Kind: Object, Name: "E"},
		{Kind: List, Name: "ListOfX", Element: "X"},
		{Kind: Set, Name: "SetOfX", Element: "X", HashKey: []string{"value"}},
		{Kind: Set, Name: "SetOfY", Element: "Y"},
		{Kind: Map, Name: "MapOfXToY", Key: "X", Value: "Y", HashKey: []string{}},
		{Kind: Map, Name: "MapOfXToZ", Key: "X", Value: "Z"},
	} {
		b, err := s.AppendTo(nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Read(encoding.NewDecoder(b))
		if err != nil {
			t.Fatalf("%s: %v", s.Name, err)
		}
		if !got.Equal(&s) {
			t.Errorf("round trip %+v = %+v", s, got)
		}
	}
}

func TestReadTruncated(t *testing.T) {
	s := Schema{Kind: Object, Name: "M", Fields: []Field{{Name: "a", Type: Int}}}
	b, _ := s.AppendTo(nil)
	for i := range b {
		if _, err := Read(encoding.NewDecoder(b[:i])); err == nil {
			t.Errorf("truncated at %d: no error", i)
		}
	}
}
