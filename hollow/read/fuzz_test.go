package read_test

import (
	"bufio"
	"bytes"
	"fmt"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

func load(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors.Dir(), name))
	if err != nil {
		t.Fatalf("read vector: %v", err)
	}
	return b
}

// exercise reads everything a state holds, which must not panic whatever
// the blob said.
func exercise(s *read.State) {
	w := bufio.NewWriter(io.Discard)
	for _, n := range s.TypeNames() {
		t := s.Type(n)
		i := 0
		for o := range t.Ordinals() {
			if i++; i > 1000 {
				break
			}
			canonical.WriteRecord(w, t, o)
		}
		for o := -1; o <= t.MaxOrdinal()+1 && o < 1000; o++ {
			for f := -1; f <= len(t.Schema().Fields); f++ {
				t.Value(o, f)
			}
			t.Elements(o)
			t.Entries(o)
		}
	}
}

// compact rewrites a Java snapshot with unpadded bitsets: the same data in
// a fraction of the bytes, which keeps the fuzzer fast.
func compact(f testing.TB, name string) []byte {
	s, err := read.ParseSnapshot(load(f, name))
	if err != nil {
		f.Fatal(err)
	}
	w := write.NewStateEngine()
	w.CompactBitsets = true
	if err := w.Restore(s); err != nil {
		f.Fatal(err)
	}
	var buf bytes.Buffer
	if err := w.WriteSnapshot(&buf); err != nil {
		f.Fatal(err)
	}
	return buf.Bytes()
}

func FuzzSnapshot(f *testing.F) {
	for _, n := range []string{"single/metric-inline.blob", "single/empty.blob", "rich/snapshot-1", "rich-sharded/snapshot-2"} {
		f.Add(compact(f, n))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s, err := read.ParseSnapshot(b)
		if err != nil {
			return
		}
		exercise(s)
	})
}

func FuzzDelta(f *testing.F) {
	for _, dir := range []string{"rich", "rich-sharded"} {
		f.Add(dir == "rich", load(f, dir+"/delta-1-2"))
		f.Add(dir == "rich", load(f, dir+"/reversedelta-2-1"))
	}
	bases := map[bool][2]*read.State{}
	for _, plain := range []bool{true, false} {
		dir := "rich-sharded"
		if plain {
			dir = "rich"
		}
		s1, err1 := read.ParseSnapshot(load(f, dir+"/snapshot-1"))
		s2, err2 := read.ParseSnapshot(load(f, dir+"/snapshot-2"))
		if err1 != nil || err2 != nil {
			f.Fatal(err1, err2)
		}
		bases[plain] = [2]*read.State{s1, s2}
	}
	f.Fuzz(func(t *testing.T, plain bool, b []byte) {
		for _, base := range bases[plain] {
			s, err := base.ApplyDeltaBytes(b)
			if err != nil {
				continue
			}
			exercise(s)
		}
	})
}

func FuzzHeader(f *testing.F) {
	f.Add(load(f, "fs/header-20261123205303003"))
	f.Add(load(f, "rich/delta-1-2"))
	f.Fuzz(func(t *testing.T, b []byte) {
		read.ParseHeader(b)
	})
}

// TestTruncated cuts every vector at many points: each cut must be an
// error naming a byte offset, never a panic or a state.
func TestTruncated(t *testing.T) {
	for _, n := range []string{"single/metric-inline.blob", "single/metric-ref.blob", "rich/snapshot-1", "rich-sharded/snapshot-2"} {
		b := load(t, n)
		step := max(1, len(b)/3000)
		for i := 0; i < len(b); i += step {
			_, err := read.ParseSnapshot(b[:i])
			if err == nil {
				t.Fatalf("%s cut at %d: no error", n, i)
			}
			if i > 30 && !bytes.Contains([]byte(err.Error()), []byte("byte offset")) {
				t.Fatalf("%s cut at %d: error names no offset: %v", n, i, err)
			}
		}
	}
	s1, _ := read.ParseSnapshot(load(t, "rich/snapshot-1"))
	d := load(t, "rich/delta-1-2")
	for i := 0; i < len(d); i++ {
		if _, err := s1.ApplyDeltaBytes(d[:i]); err == nil {
			t.Fatalf("delta cut at %d: no error", i)
		}
	}
}

// TestCorrupted flips bytes: errors or states, never panics.
func TestCorrupted(t *testing.T) {
	b := load(t, "rich/snapshot-1")
	for i := 0; i < len(b); i += 7 {
		c := bytes.Clone(b)
		c[i] ^= 0xff
		if s, err := read.ParseSnapshot(c); err == nil {
			exercise(s)
		}
	}
}

func TestErrorsNameTypeAndOffset(t *testing.T) {
	s2, _ := read.ParseSnapshot(load(t, "rich/snapshot-2"))
	_, err := s2.ApplyDeltaBytes(load(t, "rich/delta-1-2"))
	if err == nil || !bytes.Contains([]byte(err.Error()), []byte("origin")) {
		t.Fatalf("mismatched origin: %v", err)
	}
	// A hostile word count in a type's record array.
	w := write.NewStateEngine()
	w.AddType(schema.Schema{Kind: schema.Object, Name: "T", Fields: []schema.Field{{Name: "x", Type: schema.Int}}})
	w.Add(w.NewObject("T").SetInt("x", 5))
	var buf bytes.Buffer
	w.WriteSnapshot(&buf)
	b := buf.Bytes()
	at := bytes.LastIndex(b, []byte("INT")) + 3 + 3 + 1 + 1 // schema, shard header, max ordinal, width
	hostile := append(bytes.Clone(b[:at]), 0x8f, 0xff, 0xff, 0xff, 0x7f)
	hostile = append(hostile, b[at+1:]...)
	_, err = read.ParseSnapshot(hostile)
	if err == nil || !strings.Contains(err.Error(), "type T") || !strings.Contains(err.Error(), fmt.Sprintf("byte offset %d", at)) {
		t.Fatalf("hostile count: %v", err)
	}
	if _, err := read.ParseSnapshot(b); err != nil {
		t.Fatalf("unpatched blob: %v", err)
	}
}
