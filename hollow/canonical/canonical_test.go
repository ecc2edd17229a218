package canonical_test

import (
	"bytes"
	"encoding/json"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/read"
)

func load(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors.Dir(), name))
	if err != nil {
		t.Fatalf("read vector: %v", err)
	}
	return b
}

// compare checks got against a vector's JSON; with ignoreTag the
// randomizedTag may differ (a state reached by a delta).
func compare(t *testing.T, s *read.State, want []byte, ignoreTag bool) {
	t.Helper()
	var buf bytes.Buffer
	if err := canonical.Write(&buf, s); err != nil {
		t.Fatal(err)
	}
	var g, w map[string]any
	if err := json.Unmarshal(buf.Bytes(), &g); err != nil {
		t.Fatalf("our JSON does not parse: %v\n%s", err, buf.Bytes())
	}
	if err := json.Unmarshal(want, &w); err != nil {
		t.Fatal(err)
	}
	if ignoreTag {
		delete(g, "randomizedTag")
		delete(w, "randomizedTag")
	}
	for k := range w {
		if !reflect.DeepEqual(g[k], w[k]) {
			if k == "types" {
				gt, wt := g[k].(map[string]any), w[k].(map[string]any)
				for tn := range wt {
					if !reflect.DeepEqual(gt[tn], wt[tn]) {
						gj, _ := json.Marshal(gt[tn])
						wj, _ := json.Marshal(wt[tn])
						t.Errorf("type %s:\n got %s\nwant %s", tn, gj, wj)
					}
				}
				continue
			}
			t.Errorf("%s: got %v, want %v", k, g[k], w[k])
		}
	}
	if len(g) != len(w) {
		t.Errorf("top-level keys: got %d, want %d", len(g), len(w))
	}
}

func TestSingleVectors(t *testing.T) {
	for _, name := range []string{"empty", "metric-inline", "metric-ref"} {
		t.Run(name, func(t *testing.T) {
			s, err := read.ParseSnapshot(load(t, "single/"+name+".blob"))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, s, load(t, "single/"+name+".json"), false)
		})
	}
}

func TestRichVectors(t *testing.T) {
	for _, dir := range []string{"rich", "rich-sharded"} {
		t.Run(dir, func(t *testing.T) {
			s1, err := read.ParseSnapshot(load(t, dir+"/snapshot-1"))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, s1, load(t, dir+"/state-1.json"), false)
			s2, err := read.ParseSnapshot(load(t, dir+"/snapshot-2"))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, s2, load(t, dir+"/state-2.json"), false)
			fwd, err := s1.ApplyDeltaBytes(load(t, dir+"/delta-1-2"))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, fwd, load(t, dir+"/state-2.json"), true)
			back, err := s2.ApplyDeltaBytes(load(t, dir+"/reversedelta-2-1"))
			if err != nil {
				t.Fatal(err)
			}
			compare(t, back, load(t, dir+"/state-1.json"), true)
			if _, err := s2.ApplyDeltaBytes(load(t, dir+"/delta-1-2")); err == nil {
				t.Error("delta applied to the wrong state")
			}
		})
	}
}
