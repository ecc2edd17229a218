package write

import (
	"bytes"
	"testing"

	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
)

func TestRetainKeepsRecordsWithoutReadding(t *testing.T) {
	e := NewStateEngine()
	if err := e.AddType(schema.Schema{Kind: schema.Object, Name: "R", Fields: []schema.Field{{Name: "v", Type: schema.Long}}}); err != nil {
		t.Fatal(err)
	}
	a, _ := e.Add(e.NewObject("R").SetLong("v", 1))
	e.Add(e.NewObject("R").SetLong("v", 2))
	e.PrepareForNextCycle()
	if err := e.Retain("R", a); err != nil {
		t.Fatal(err)
	}
	c, _ := e.Add(e.NewObject("R").SetLong("v", 3))
	if c == a {
		t.Fatal("new record took a retained ordinal")
	}
	var buf bytes.Buffer
	if err := e.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := read.ParseSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	typ := s.Type("R")
	if typ.Count() != 2 || !typ.Has(a) || !typ.Has(c) {
		t.Fatalf("state holds %v, want ordinals %d and %d", typ.OrdinalList(), a, c)
	}
	if v, _ := typ.Long(a, 0); v != 1 {
		t.Fatalf("retained record reads %d", v)
	}
	if err := e.Retain("R", 99); err == nil {
		t.Error("retained a record that does not exist")
	}
	if err := e.Retain("Nope", 0); err == nil {
		t.Error("retained a record of an unknown type")
	}
}
