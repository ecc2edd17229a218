package write_test

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"

	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

// rec is the model of one record of type Rec; pointers are nullable.
type rec struct {
	ID   int64
	I    *int32
	L    *int64
	B    *bool
	F    *float32
	D    *float64
	S    *string
	Raw  []byte
	Name *string
	Tags []string // nil: null reference
	Set  []string // sorted, nil: null reference
	Map  map[string]string
}

var schemas = []schema.Schema{
	{Kind: schema.Object, Name: "Rec", PrimaryKey: []string{"id"}, Fields: []schema.Field{
		{Name: "id", Type: schema.Long}, {Name: "i", Type: schema.Int}, {Name: "l", Type: schema.Long},
		{Name: "b", Type: schema.Boolean}, {Name: "f", Type: schema.Float}, {Name: "d", Type: schema.Double},
		{Name: "s", Type: schema.String}, {Name: "raw", Type: schema.Bytes},
		{Name: "name", Type: schema.Reference, Ref: "String"}, {Name: "tags", Type: schema.Reference, Ref: "ListOfString"},
		{Name: "set", Type: schema.Reference, Ref: "SetOfString"}, {Name: "map", Type: schema.Reference, Ref: "MapOfStringToString"}}},
	{Kind: schema.Object, Name: "String", Fields: []schema.Field{{Name: "value", Type: schema.String}}},
	{Kind: schema.List, Name: "ListOfString", Element: "String"},
	{Kind: schema.Set, Name: "SetOfString", Element: "String", HashKey: []string{"value"}},
	{Kind: schema.Map, Name: "MapOfStringToString", Key: "String", Value: "String", HashKey: []string{"value"}},
	{Kind: schema.Object, Name: "Empty", Fields: []schema.Field{{Name: "x", Type: schema.Int}, {Name: "s", Type: schema.String}}},
	{Kind: schema.Set, Name: "SetOfRec", Element: "Rec"}, // never populated
}

var words = []string{"", "a", "é", "漢字", "😀", "x😀y", "\x00nul", "metric.cpu", "𝄞music", "long-" + string(make([]byte, 40))}

func randString(r *rand.Rand) string {
	if r.IntN(4) == 0 {
		return fmt.Sprintf("s%d", r.IntN(1000))
	}
	return words[r.IntN(len(words))]
}

func randRec(r *rand.Rand, id int64) rec {
	x := rec{ID: id}
	null := func() bool { return r.IntN(5) == 0 }
	if !null() {
		v := int32(r.Int64N(1<<32) - 1<<31)
		if v == math.MinInt32 {
			v++
		}
		if r.IntN(3) == 0 {
			v = int32(r.IntN(10))
		}
		x.I = &v
	}
	if !null() {
		v := int64(r.Uint64())
		if v == math.MinInt64 {
			v++
		}
		x.L = &v
	}
	if !null() {
		v := r.IntN(2) == 0
		x.B = &v
	}
	if !null() {
		v := float32(r.NormFloat64())
		if r.IntN(6) == 0 {
			v = float32(math.NaN())
		}
		x.F = &v
	}
	if !null() {
		v := r.NormFloat64()
		switch r.IntN(8) {
		case 0:
			v = math.NaN()
		case 1:
			v = math.Inf(-1)
		case 2:
			v = math.Copysign(0, -1)
		}
		x.D = &v
	}
	if !null() {
		v := randString(r)
		x.S = &v
	}
	if !null() {
		x.Raw = []byte(randString(r))
	}
	if !null() {
		v := randString(r)
		x.Name = &v
	}
	if !null() {
		x.Tags = []string{}
		for n := r.IntN(4); n > 0; n-- {
			x.Tags = append(x.Tags, randString(r))
		}
	}
	if !null() {
		x.Set = []string{}
		for n := r.IntN(6); n > 0; n-- {
			x.Set = append(x.Set, randString(r))
		}
		slices.Sort(x.Set)
		x.Set = slices.Compact(x.Set)
	}
	if !null() {
		x.Map = map[string]string{}
		for n := r.IntN(5); n > 0; n-- {
			x.Map[randString(r)] = randString(r)
		}
	}
	return x
}

func addRec(w *write.StateEngine, x rec) error {
	str := func(s string) int {
		o, _ := w.Add(w.NewObject("String").SetString("value", s))
		return o
	}
	o := w.NewObject("Rec").SetLong("id", x.ID)
	if x.I != nil {
		o.SetInt("i", *x.I)
	}
	if x.L != nil {
		o.SetLong("l", *x.L)
	}
	if x.B != nil {
		o.SetBool("b", *x.B)
	}
	if x.F != nil {
		o.SetFloat("f", *x.F)
	}
	if x.D != nil {
		o.SetDouble("d", *x.D)
	}
	if x.S != nil {
		o.SetString("s", *x.S)
	}
	o.SetBytes("raw", x.Raw)
	if x.Name != nil {
		o.SetRef("name", str(*x.Name))
	}
	if x.Tags != nil {
		var els []int
		for _, s := range x.Tags {
			els = append(els, str(s))
		}
		l, err := w.AddList("ListOfString", els)
		if err != nil {
			return err
		}
		o.SetRef("tags", l)
	}
	if x.Set != nil {
		var els []int
		for _, s := range x.Set {
			els = append(els, str(s))
		}
		l, err := w.AddSet("SetOfString", els)
		if err != nil {
			return err
		}
		o.SetRef("set", l)
	}
	if x.Map != nil {
		var es [][2]int
		for k, v := range x.Map {
			es = append(es, [2]int{str(k), str(v)})
		}
		l, err := w.AddMap("MapOfStringToString", es)
		if err != nil {
			return err
		}
		o.SetRef("map", l)
	}
	_, err := w.Add(o)
	return err
}

// readRecs resolves every Rec of a state back into the model.
func readRecs(t *testing.T, s *read.State) map[int64]rec {
	out := map[int64]rec{}
	rt, st := s.Type("Rec"), s.Type("String")
	str := func(o int) string {
		v, ok := st.String(o, 0)
		if !ok {
			t.Fatalf("String %d unreadable", o)
		}
		return v
	}
	for o := range rt.Ordinals() {
		var x rec
		x.ID, _ = rt.Long(o, 0)
		if v, ok := rt.Int(o, 1); ok {
			x.I = &v
		}
		if v, ok := rt.Long(o, 2); ok {
			x.L = &v
		}
		if v, ok := rt.Bool(o, 3); ok {
			x.B = &v
		}
		if v, ok := rt.Float(o, 4); ok {
			x.F = &v
		}
		if v, ok := rt.Double(o, 5); ok {
			x.D = &v
		}
		if v, ok := rt.String(o, 6); ok {
			x.S = &v
		}
		if v, ok := rt.Bytes(o, 7); ok {
			x.Raw = append([]byte{}, v...)
		}
		if v, ok := rt.Ref(o, 8); ok {
			s := str(v)
			x.Name = &s
		}
		if v, ok := rt.Ref(o, 9); ok {
			x.Tags = []string{}
			for _, e := range s.Type("ListOfString").Elements(v) {
				x.Tags = append(x.Tags, str(e))
			}
		}
		if v, ok := rt.Ref(o, 10); ok {
			x.Set = []string{}
			for _, e := range s.Type("SetOfString").Elements(v) {
				x.Set = append(x.Set, str(e))
			}
			slices.Sort(x.Set)
		}
		if v, ok := rt.Ref(o, 11); ok {
			x.Map = map[string]string{}
			for _, e := range s.Type("MapOfStringToString").Entries(v) {
				x.Map[str(e[0])] = str(e[1])
			}
		}
		out[x.ID] = x
	}
	return out
}

// same compares models treating NaN as equal to NaN.
func same(a, b rec) bool {
	fa, fb, da, db := a.F, b.F, a.D, b.D
	a.F, b.F, a.D, b.D = nil, nil, nil, nil
	if !reflect.DeepEqual(a, b) {
		return false
	}
	if (fa == nil) != (fb == nil) || (da == nil) != (db == nil) {
		return false
	}
	if fa != nil && math.Float32bits(*fa) != math.Float32bits(*fb) && !(*fa != *fa && *fb != *fb) {
		return false
	}
	if da != nil && math.Float64bits(*da) != math.Float64bits(*db) && !(*da != *da && *db != *db) {
		return false
	}
	return true
}

var seeds = flag.Uint64("seeds", 4, "random datasets TestRandomCycles runs")

func TestRandomCycles(t *testing.T) {
	for seed := uint64(1); seed <= *seeds; seed++ {
		t.Run(fmt.Sprint(seed), func(t *testing.T) { randomCycles(t, seed, 60) })
	}
}

func randomCycles(t *testing.T, seed uint64, cycles int) {
	r := rand.New(rand.NewPCG(seed, 99))
	w := write.NewStateEngine()
	for _, s := range schemas {
		if err := w.AddType(s); err != nil {
			t.Fatal(err)
		}
	}
	w.SetNumShards("Rec", []int{1, 2, 4, 32}[seed%4])
	w.SetNumShards("String", []int{1, 2, 4}[seed%3])
	w.SetNumShards("SetOfString", int(seed%2)+1)
	model := map[int64]rec{}
	nextID := int64(0)
	var first, prevSnap, chain *read.State
	for c := 0; c < cycles; c++ {
		if c > 0 {
			w.PrepareForNextCycle()
		}
		// Mutate the model: some cycles change nothing, some empty it.
		switch {
		case c%17 == 5:
		case c%23 == 11:
			clear(model)
		default:
			for id := range model {
				switch r.IntN(10) {
				case 0:
					delete(model, id)
				case 1:
					model[id] = randRec(r, id)
				}
			}
			for n := r.IntN(12); n > 0; n-- {
				model[nextID] = randRec(r, nextID)
				nextID++
			}
		}
		for _, x := range model {
			if err := addRec(w, x); err != nil {
				t.Fatal(err)
			}
		}
		if c > 0 && !w.HasChanges() {
			w.ResetCycle()
			continue
		}
		var snap, delta, rev bytes.Buffer
		if err := w.WriteSnapshot(&snap); err != nil {
			t.Fatal(err)
		}
		s, err := read.ParseSnapshot(snap.Bytes())
		if err != nil {
			t.Fatalf("cycle %d: read snapshot: %v", c, err)
		}
		if c == 0 {
			first, chain = s, s
		} else {
			if err := w.WriteDelta(&delta); err != nil {
				t.Fatal(err)
			}
			if err := w.WriteReverseDelta(&rev); err != nil {
				t.Fatal(err)
			}
			if chain, err = chain.ApplyDeltaBytes(delta.Bytes()); err != nil {
				t.Fatalf("cycle %d: apply delta: %v", c, err)
			}
			back, err := s.ApplyDeltaBytes(rev.Bytes())
			if err != nil {
				t.Fatalf("cycle %d: apply reverse delta: %v", c, err)
			}
			if canonical.Digest(back) != canonical.Digest(prevSnap) {
				t.Fatalf("cycle %d: snapshot minus reverse delta != previous state\n%s", c, diffStates(back, prevSnap))
			}
		}
		if canonical.Digest(chain) != canonical.Digest(s) || chain.RandomizedTag() != s.RandomizedTag() {
			t.Fatalf("cycle %d: first state plus all deltas != snapshot\n%s", c, diffStates(chain, s))
		}
		got := readRecs(t, chain)
		if len(got) != len(model) {
			t.Fatalf("cycle %d: %d records, model has %d", c, len(got), len(model))
		}
		for id, x := range model {
			if !same(got[id], x) {
				t.Fatalf("cycle %d: record %d\n got %+v\nwant %+v", c, id, got[id], x)
			}
		}
		if n := chain.Type("Empty").Count(); n != 0 {
			t.Fatalf("Empty has %d records", n)
		}
		prevSnap = s
	}
	_ = first
}

func diffStates(a, b *read.State) string {
	var out bytes.Buffer
	for _, n := range b.TypeNames() {
		var x, y bytes.Buffer
		wa, wb := bufio.NewWriter(&x), bufio.NewWriter(&y)
		for o := range a.Type(n).Ordinals() {
			fmt.Fprintf(wa, "%d:", o)
			canonical.WriteRecord(wa, a.Type(n), o)
			wa.WriteString("\n")
		}
		for o := range b.Type(n).Ordinals() {
			fmt.Fprintf(wb, "%d:", o)
			canonical.WriteRecord(wb, b.Type(n), o)
			wb.WriteString("\n")
		}
		wa.Flush()
		wb.Flush()
		if x.String() != y.String() {
			fmt.Fprintf(&out, "type %s (%s / %s):\n got %s\nwant %s\n", n, a.Type(n).DebugString(), b.Type(n).DebugString(), x.String(), y.String())
		}
	}
	return out.String()
}
