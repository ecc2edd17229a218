package write

import (
	"testing"

	"github.com/keascope/keascope/hollow/schema"
)

// TestOrdinalReuse: an ordinal freed in one cycle is reused only in the
// next one, lowest first; unchanged records keep theirs.
func TestOrdinalReuse(t *testing.T) {
	e := NewStateEngine()
	e.AddType(schema.Schema{Kind: schema.Object, Name: "S", Fields: []schema.Field{{Name: "v", Type: schema.String}}})
	add := func(v string) int {
		o, err := e.Add(e.NewObject("S").SetString("v", v))
		if err != nil {
			t.Fatal(err)
		}
		return o
	}
	if add("a") != 0 || add("b") != 1 || add("c") != 2 {
		t.Fatal("first ordinals")
	}
	e.PrepareForNextCycle()
	if add("c") != 2 || add("d") != 3 { // a and b dropped: not reusable yet
		t.Fatal("freed ordinals reused in the same cycle")
	}
	e.PrepareForNextCycle()
	if add("e") != 0 || add("f") != 1 || add("g") != 4 || add("c") != 2 {
		t.Fatal("freed ordinals not reused lowest first in the next cycle")
	}
	if !e.HasChanges() {
		t.Fatal("no changes seen")
	}
}
