package write

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/keascope/keascope/hollow/schema"
)

// TestTallyMatchesRecount checks that the statistics kept record by record
// through adds, retains, cycles and resets equal a recount from scratch.
func TestTallyMatchesRecount(t *testing.T) {
	for seed := uint64(0); seed < 20; seed++ {
		r := rand.New(rand.NewPCG(seed, 7))
		e := NewStateEngine()
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(e.AddType(schema.Schema{Name: "O", Kind: schema.Object, Fields: []schema.Field{
			{Name: "i", Type: schema.Int}, {Name: "l", Type: schema.Long}, {Name: "s", Type: schema.String},
			{Name: "b", Type: schema.Bytes}, {Name: "r", Type: schema.Reference, Ref: "O"}, {Name: "z", Type: schema.Boolean}}}))
		must(e.AddType(schema.Schema{Name: "L", Kind: schema.List, Element: "O"}))
		must(e.AddType(schema.Schema{Name: "S", Kind: schema.Set, Element: "O"}))
		must(e.AddType(schema.Schema{Name: "M", Kind: schema.Map, Key: "O", Value: "O"}))
		for _, n := range []string{"O", "L", "S", "M"} {
			must(e.SetNumShards(n, 1<<(r.IntN(3))))
		}
		var kept map[string][]int
		for cycle := 0; cycle < 60; cycle++ {
			if cycle > 0 {
				e.PrepareForNextCycle()
			}
			next := map[string][]int{}
			for n, ords := range kept {
				for _, o := range ords {
					if r.IntN(4) > 0 {
						must(e.Retain(n, o))
						next[n] = append(next[n], o)
					}
				}
			}
			for i := r.IntN(20); i > 0; i-- {
				o := e.NewObject("O").SetInt("i", int32(r.IntN(1<<r.IntN(31)))-50).SetLong("l", r.Int64N(1<<r.IntN(62)))
				if r.IntN(3) > 0 {
					o.SetString("s", string(make([]byte, r.IntN(300))))
				}
				if r.IntN(2) > 0 {
					o.SetBytes("b", make([]byte, r.IntN(40)))
				}
				if r.IntN(2) > 0 {
					o.SetRef("r", r.IntN(1<<r.IntN(20)))
				}
				ord, err := e.Add(o)
				must(err)
				next["O"] = append(next["O"], ord)
				var els []int
				for j := r.IntN(12); j > 0; j-- {
					els = append(els, r.IntN(1<<r.IntN(16)))
				}
				ord, err = e.AddList("L", els)
				must(err)
				next["L"] = append(next["L"], ord)
				ord, err = e.AddSet("S", els)
				must(err)
				next["S"] = append(next["S"], ord)
				var ents [][2]int
				for j, k := range els {
					ents = append(ents, [2]int{k*20 + j, r.IntN(1 << r.IntN(18))})
				}
				ord, err = e.AddMap("M", ents)
				must(err)
				next["M"] = append(next["M"], ord)
			}
			for _, n := range e.order {
				ts := e.types[n]
				got := ts.computeStats()
				ts.tally.valid = false
				want := ts.computeStats()
				if !reflect.DeepEqual(got, want) {
					t.Fatalf("seed %d cycle %d type %s: kept %+v, recount %+v", seed, cycle, n, got, want)
				}
			}
			if r.IntN(5) == 0 {
				e.ResetCycle()
				continue
			}
			kept = next
		}
	}
}
