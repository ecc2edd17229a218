package write

import (
	"bytes"
	"context"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"os"
	"path/filepath"
	"testing"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/read"
)

func loadVector(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(vectors.Dir(), name))
	if err != nil {
		t.Fatalf("read vector: %v", err)
	}
	return b
}

// TestSnapshotBytesMatchJava rewrites Java's first-state snapshots from
// their own records with the same tag: the bytes must be Java's.
func TestSnapshotBytesMatchJava(t *testing.T) {
	for _, name := range []string{"single/metric-inline.blob", "single/metric-ref.blob", "single/empty.blob", "rich/snapshot-1", "rich-sharded/snapshot-1"} {
		t.Run(name, func(t *testing.T) {
			java := loadVector(t, name)
			rs, err := read.ParseSnapshot(java)
			if err != nil {
				t.Fatal(err)
			}
			e := NewStateEngine()
			if err := e.Restore(rs); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := e.WriteSnapshot(&buf); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(buf.Bytes(), java) {
				at := 0
				for at < len(java) && at < buf.Len() && java[at] == buf.Bytes()[at] {
					at++
				}
				t.Errorf("differs from Java at byte %d (len %d vs %d)\n go %x\njava %x", at, buf.Len(), len(java), window(buf.Bytes(), at), window(java, at))
			}
		})
	}
}

func window(b []byte, at int) []byte {
	lo, hi := max(0, at-16), min(len(b), at+32)
	return b[lo:hi]
}

// TestDeltaBytesMatchJava restores Java's state 1, adds state 2's records
// at Java's ordinals and compares all three blobs with Java's.
func TestDeltaBytesMatchJava(t *testing.T) {
	for _, dir := range []string{"rich", "rich-sharded"} {
		t.Run(dir, func(t *testing.T) {
			s1, err := read.ParseSnapshot(loadVector(t, dir+"/snapshot-1"))
			if err != nil {
				t.Fatal(err)
			}
			s2, err := read.ParseSnapshot(loadVector(t, dir+"/snapshot-2"))
			if err != nil {
				t.Fatal(err)
			}
			e := NewStateEngine()
			if err := e.Restore(s1); err != nil {
				t.Fatal(err)
			}
			e.PrepareForNextCycle()
			for _, name := range s2.TypeNames() {
				rt := s2.Type(name)
				for o := range rt.Ordinals() {
					e.types[name].place(o, encodeRead(rt, o))
				}
			}
			e.tag = s2.RandomizedTag()
			for blob, write := range map[string]func(*bytes.Buffer) error{
				"snapshot-2":       func(b *bytes.Buffer) error { return e.WriteSnapshot(b) },
				"delta-1-2":        func(b *bytes.Buffer) error { return e.WriteDelta(b) },
				"reversedelta-2-1": func(b *bytes.Buffer) error { return e.WriteReverseDelta(b) },
			} {
				var buf bytes.Buffer
				if err := write(&buf); err != nil {
					t.Fatal(err)
				}
				java := loadVector(t, dir+"/"+blob)
				if !bytes.Equal(buf.Bytes(), java) {
					at := 0
					for at < len(java) && at < buf.Len() && java[at] == buf.Bytes()[at] {
						at++
					}
					t.Errorf("%s differs from Java at byte %d (len %d vs %d)\n  go %x\njava %x", blob, at, buf.Len(), len(java), window(buf.Bytes(), at), window(java, at))
				}
			}
		})
	}
}

// TestHeaderBytesMatchJava rewrites the header of the Java store's
// announced version: same schemas, tags (in Java's HashMap order) and tags.
func TestHeaderBytesMatchJava(t *testing.T) {
	dir := filepath.Join(vectors.Dir(), "fs")
	store, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	const v = 20261123205303003
	s, err := consumer.Load(context.Background(), store, v)
	if err != nil {
		t.Fatal(err)
	}
	e := NewStateEngine()
	if err := e.Restore(s); err != nil {
		t.Fatal(err)
	}
	// Register in Java's order (the top-level type first).
	e.order = []string{"Gauge", "String"}
	var buf bytes.Buffer
	if err := e.WriteHeader(&buf); err != nil {
		t.Fatal(err)
	}
	java := loadVector(t, "fs/header-20261123205303003")
	if !bytes.Equal(buf.Bytes(), java) {
		t.Errorf("header differs\n  go %x\njava %x", buf.Bytes(), java)
	}
}
