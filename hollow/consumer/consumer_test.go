package consumer

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/canonical"
)

func TestJavaFilesystemStore(t *testing.T) {
	ctx := context.Background()
	dir := filepath.Join(vectors.Dir(), "fs")
	store, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	c := New(store, Config{})
	var updates []Update
	c.AddListener(func(u Update) { updates = append(updates, u) })
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	v := c.Version()
	want, err := os.ReadFile(filepath.Join(dir, "state-"+itoa(v)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := canonical.Write(&buf, c.Current()); err != nil {
		t.Fatal(err)
	}
	var g, w any
	json.Unmarshal(buf.Bytes(), &g)
	json.Unmarshal(want, &w)
	if !reflect.DeepEqual(g, w) {
		t.Fatalf("state %d:\n got %s\nwant %s", v, buf.Bytes(), want)
	}
	if len(updates) != 1 || updates[0].Version != v || !updates[0].Snapshot {
		t.Fatalf("updates = %+v", updates)
	}

	// Walk back through reverse deltas to the first version and forward
	// again: every step must land on the same data as the snapshots.
	first := int64(20261123205301001)
	if err := c.RefreshTo(ctx, first); err != nil {
		t.Fatal(err)
	}
	if updates[1].Snapshot {
		t.Error("went back through a snapshot, want reverse deltas")
	}
	snap, err := Load(ctx, store, first)
	if err != nil {
		t.Fatal(err)
	}
	if canonical.Digest(snap) != canonical.Digest(c.Current()) {
		t.Error("reverse deltas do not lead to the first snapshot's data")
	}
	if err := c.RefreshTo(ctx, v); err != nil {
		t.Fatal(err)
	}
	if canonical.Digest(c.Current()) != canonical.Digest(updates[0].State) {
		t.Error("forward deltas do not lead back to the announced data")
	}
	ch := updates[len(updates)-1].Changes["Gauge"]
	if len(ch.Modified) == 0 {
		t.Errorf("Gauge changes = %+v, want modifications by primary key", ch)
	}
}

func itoa(v int64) string {
	b, _ := json.Marshal(v)
	return string(b)
}
