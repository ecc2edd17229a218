package index_test

import (
	"bytes"
	"errors"
	"testing"

	"github.com/keascope/keascope/hollow/index"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

func state(t *testing.T, rows [][3]any) *read.State {
	t.Helper()
	w := write.NewStateEngine()
	w.AddType(schema.Schema{Kind: schema.Object, Name: "String", Fields: []schema.Field{{Name: "value", Type: schema.String}}})
	w.AddType(schema.Schema{Kind: schema.Object, Name: "Lease", PrimaryKey: []string{"addr"}, Fields: []schema.Field{
		{Name: "addr", Type: schema.Reference, Ref: "String"}, {Name: "subnet", Type: schema.Int}, {Name: "mac", Type: schema.Bytes}}})
	for _, r := range rows {
		s, _ := w.Add(w.NewObject("String").SetString("value", r[0].(string)))
		o := w.NewObject("Lease").SetRef("addr", s).SetInt("subnet", r[1].(int32))
		if r[2] != nil {
			o.SetBytes("mac", r[2].([]byte))
		}
		if _, err := w.Add(o); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := w.WriteSnapshot(&buf); err != nil {
		t.Fatal(err)
	}
	s, err := read.ParseSnapshot(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIndexes(t *testing.T) {
	s := state(t, [][3]any{{"10.0.0.1", int32(1), []byte{1}}, {"10.0.0.2", int32(1), nil}, {"10.1.0.1", int32(2), []byte{2}}})
	pk, err := index.NewPrimaryKey(s, "Lease")
	if err != nil {
		t.Fatal(err)
	}
	o, ok, err := pk.Get("10.0.0.2")
	if err != nil || !ok {
		t.Fatalf("Get: %v %v", ok, err)
	}
	if v, _ := s.Type("Lease").Int(o, 1); v != 1 {
		t.Fatalf("found the wrong lease: subnet %d", v)
	}
	if _, ok, _ := pk.Get("10.9.9.9"); ok {
		t.Fatal("found a missing key")
	}
	h, err := index.NewHash(s, "Lease", "subnet")
	if err != nil {
		t.Fatal(err)
	}
	if os, _ := h.Find(int32(1)); len(os) != 2 {
		t.Fatalf("subnet 1: %v", os)
	}
	byMac, _ := index.NewHash(s, "Lease", "mac")
	if os, _ := byMac.Find(nil); len(os) != 1 {
		t.Fatalf("null mac: %v", os)
	}
	if _, err := h.Find(1, 2); !errors.Is(err, index.ErrArity) {
		t.Fatalf("arity: %v", err)
	}
	if _, err := index.NewHash(s, "Lease", "nope"); err == nil {
		t.Fatal("bad path accepted")
	}
	// Update moves the index to another state.
	s2 := state(t, [][3]any{{"10.0.0.2", int32(3), nil}})
	if err := pk.Update(s2); err != nil {
		t.Fatal(err)
	}
	if o, ok, _ := pk.Get("10.0.0.2"); !ok || pk.State() != s2 {
		t.Fatal("index did not move")
	} else if v, _ := s2.Type("Lease").Int(o, 1); v != 3 {
		t.Fatalf("subnet %d after update", v)
	}
}
