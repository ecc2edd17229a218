package write_test

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"testing"

	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

type jsonState struct {
	Types map[string]struct {
		Schema struct {
			Kind       string
			PrimaryKey []string
			Fields     []struct{ Name, Type, Ref string }
			Element    string
			Key, Value string
			HashKey    []string
		}
		NumShards int
		Records   map[string]json.RawMessage
	}
}

func readJSON(t *testing.T, name string) (*jsonState, []byte) {
	b, err := os.ReadFile(filepath.Join(vectors.Dir(), name))
	if err != nil {
		t.Fatal(err)
	}
	var s jsonState
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	return &s, b
}

func toSchema(name string, j *jsonState) schema.Schema {
	js := j.Types[name].Schema
	s := schema.Schema{Name: name, PrimaryKey: js.PrimaryKey, Element: js.Element, Key: js.Key, Value: js.Value, HashKey: js.HashKey}
	switch js.Kind {
	case "OBJECT":
		s.Kind = schema.Object
		for _, f := range js.Fields {
			ft, _ := schema.ParseFieldType(f.Type)
			s.Fields = append(s.Fields, schema.Field{Name: f.Name, Type: ft, Ref: f.Ref})
		}
	case "LIST":
		s.Kind = schema.List
	case "SET":
		s.Kind = schema.Set
	case "MAP":
		s.Kind = schema.Map
	}
	return s
}

// addJSONState adds every record of a vector's JSON, type by type in
// dependency order and ordinal by ordinal, checking each lands on the
// ordinal Java gave it.
func addJSONState(t *testing.T, w *write.StateEngine, j *jsonState) {
	var names []string
	for n := range j.Types {
		names = append(names, n)
	}
	sort.Strings(names)
	done := map[string]bool{}
	var visit func(n string)
	visit = func(n string) {
		if done[n] {
			return
		}
		done[n] = true
		sc := toSchema(n, j)
		for _, r := range sc.Refs() {
			visit(r)
		}
		if err := w.AddType(sc); err != nil {
			t.Fatal(err)
		}
		w.SetNumShards(n, j.Types[n].NumShards)
		var ords []int
		for k := range j.Types[n].Records {
			o, _ := strconv.Atoi(k)
			ords = append(ords, o)
		}
		sort.Ints(ords)
		for _, o := range ords {
			got := addJSONRecord(t, w, sc, j.Types[n].Records[strconv.Itoa(o)])
			if got != o {
				t.Fatalf("%s record %d landed on ordinal %d", n, o, got)
			}
		}
	}
	for _, n := range names {
		visit(n)
	}
}

func addJSONRecord(t *testing.T, w *write.StateEngine, sc schema.Schema, raw json.RawMessage) int {
	var err error
	var o int
	switch sc.Kind {
	case schema.List, schema.Set:
		var els []int
		json.Unmarshal(raw, &els)
		if sc.Kind == schema.List {
			o, err = w.AddList(sc.Name, els)
		} else {
			o, err = w.AddSet(sc.Name, els)
		}
	case schema.Map:
		var es [][2]int
		json.Unmarshal(raw, &es)
		o, err = w.AddMap(sc.Name, es)
	default:
		var m map[string]any
		d := json.NewDecoder(bytes.NewReader(raw))
		d.UseNumber()
		d.Decode(&m)
		rec := w.NewObject(sc.Name)
		for _, f := range sc.Fields {
			v := m[f.Name]
			if v == nil {
				continue
			}
			switch f.Type {
			case schema.Int:
				n, _ := v.(json.Number).Int64()
				rec.SetInt(f.Name, int32(n))
			case schema.Reference:
				n, _ := v.(json.Number).Int64()
				rec.SetRef(f.Name, int(n))
			case schema.Long:
				n, _ := strconv.ParseInt(v.(string), 10, 64)
				rec.SetLong(f.Name, n)
			case schema.Float:
				n, _ := strconv.ParseUint(v.(string)[2:], 16, 32)
				rec.SetFloat(f.Name, math.Float32frombits(uint32(n)))
			case schema.Double:
				n, _ := strconv.ParseUint(v.(string)[2:], 16, 64)
				rec.SetDouble(f.Name, math.Float64frombits(n))
			case schema.Boolean:
				rec.SetBool(f.Name, v.(bool))
			case schema.String:
				rec.SetString(f.Name, v.(string))
			case schema.Bytes:
				b, _ := hex.DecodeString(v.(string))
				rec.SetBytes(f.Name, b)
			}
		}
		o, err = w.Add(rec)
	}
	if err != nil {
		t.Fatal(err)
	}
	return o
}

func sameJSON(t *testing.T, s *read.State, want []byte) {
	t.Helper()
	var buf bytes.Buffer
	canonical.Write(&buf, s)
	var g, w map[string]any
	json.Unmarshal(buf.Bytes(), &g)
	json.Unmarshal(want, &w)
	delete(g, "randomizedTag")
	delete(w, "randomizedTag")
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("Go-written state differs from Java's JSON:\n got %s\nwant %s", buf.Bytes(), want)
	}
}

// TestRewriteFromJSON writes the rich datasets from their JSON with the
// public API, as two cycles: snapshot, delta and reverse delta must read
// back to Java's JSON, with Java's ordinals.
func TestRewriteFromJSON(t *testing.T) {
	for _, dir := range []string{"rich", "rich-sharded"} {
		t.Run(dir, func(t *testing.T) {
			j1, want1 := readJSON(t, dir+"/state-1.json")
			j2, want2 := readJSON(t, dir+"/state-2.json")
			w := write.NewStateEngine()
			addJSONState(t, w, j1)
			var snap1 bytes.Buffer
			if err := w.WriteSnapshot(&snap1); err != nil {
				t.Fatal(err)
			}
			s1, err := read.ParseSnapshot(snap1.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, s1, want1)
			w.PrepareForNextCycle()
			addJSONState(t, w, j2)
			var snap2, delta, rev bytes.Buffer
			w.WriteSnapshot(&snap2)
			w.WriteDelta(&delta)
			w.WriteReverseDelta(&rev)
			s2, err := read.ParseSnapshot(snap2.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, s2, want2)
			fwd, err := s1.ApplyDeltaBytes(delta.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, fwd, want2)
			back, err := s2.ApplyDeltaBytes(rev.Bytes())
			if err != nil {
				t.Fatal(err)
			}
			sameJSON(t, back, want1)
			// Same bytes as Java's but the randomized tags (16 bytes each).
			for name, b := range map[string][]byte{"snapshot-2": snap2.Bytes(), "delta-1-2": delta.Bytes()} {
				java, _ := os.ReadFile(filepath.Join(vectors.Dir(), dir, name))
				if len(java) != len(b) || !bytes.Equal(java[20:], b[20:]) {
					t.Errorf("%s: %d bytes, Java's %d; differ beyond the tags", name, len(b), len(java))
				}
			}
		})
	}
}
