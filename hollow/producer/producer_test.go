package producer

import (
	"context"
	"errors"
	"github.com/keascope/keascope/hollow/internal/vectors"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/canonical"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/read"
	"github.com/keascope/keascope/hollow/schema"
	"github.com/keascope/keascope/hollow/write"
)

var gauge = schema.Schema{Kind: schema.Object, Name: "Gauge", PrimaryKey: []string{"name"}, Fields: []schema.Field{
	{Name: "name", Type: schema.Reference, Ref: "String"}, {Name: "ts", Type: schema.Long},
	{Name: "value", Type: schema.Double}, {Name: "count", Type: schema.Int}}}
var str = schema.Schema{Kind: schema.Object, Name: "String", Fields: []schema.Field{{Name: "value", Type: schema.String}}}

func addGauges(w *write.StateEngine, n int, ts int64) error {
	for i := 0; i < n; i++ {
		s, err := w.Add(w.NewObject("String").SetString("value", "g"+string(rune('0'+i))))
		if err != nil {
			return err
		}
		_, err = w.Add(w.NewObject("Gauge").SetRef("name", s).SetLong("ts", ts).SetDouble("value", float64(i)).SetInt("count", int32(i)))
		if err != nil {
			return err
		}
	}
	return nil
}

type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(400 * time.Millisecond); return c.t }

func TestCycles(t *testing.T) {
	ctx := context.Background()
	store, _ := blob.NewFS(t.TempDir())
	ck := &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)}
	p := New(store, Config{NumStatesBetweenSnapshots: 2, Now: ck.now})
	p.Engine().AddType(str)
	p.Engine().AddType(gauge)
	c := consumer.New(store, consumer.Config{})
	var last int64
	for i := 0; i < 8; i++ {
		v, err := p.RunCycle(ctx, func(w *write.StateEngine) error { return addGauges(w, 3, int64(i/2)) })
		if err != nil {
			t.Fatalf("cycle %d: %v", i, err)
		}
		if i%2 == 1 {
			if v != last {
				t.Fatalf("cycle %d: unchanged data made version %d", i, v)
			}
			continue
		}
		if v <= last || len(itoa(v)) != 17 {
			t.Fatalf("cycle %d: version %d after %d", i, v, last)
		}
		last = v
		if err := c.Refresh(ctx); err != nil {
			t.Fatal(err)
		}
		if c.Version() != v || canonical.Digest(c.Current()) != canonical.Digest(p.State()) {
			t.Fatalf("consumer at %d does not match producer", c.Version())
		}
	}
	snaps, _ := store.List(ctx, "snapshot-")
	deltas, _ := store.List(ctx, "delta-")
	if len(snaps) != 2 || len(deltas) != 3 {
		t.Fatalf("snapshots %v deltas %v, want a snapshot every 3 states", snaps, deltas)
	}
	// A failing populate or validator publishes nothing and keeps the chain.
	boom := errors.New("boom")
	if _, err := p.RunCycle(ctx, func(w *write.StateEngine) error { addGauges(w, 2, 99); return boom }); !errors.Is(err, boom) {
		t.Fatalf("populate error = %v", err)
	}
	p.cfg.Validators = []Validator{func(s *read.State) error { return boom }}
	if _, err := p.RunCycle(ctx, func(w *write.StateEngine) error { return addGauges(w, 2, 99) }); !errors.Is(err, boom) {
		t.Fatalf("validator error = %v", err)
	}
	p.cfg.Validators = nil
	v, err := p.RunCycle(ctx, func(w *write.StateEngine) error { return addGauges(w, 4, 100) })
	if err != nil || v == last {
		t.Fatalf("cycle after failures: %d, %v", v, err)
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatalf("consumer cannot follow after failed cycles: %v", err)
	}
	if canonical.Digest(c.Current()) != canonical.Digest(p.State()) {
		t.Fatal("consumer differs after failed cycles")
	}
}

// TestRestoreJavaStore continues the chain of a store Java's producer
// wrote: a consumer holding Java's announced state follows the new delta.
func TestRestoreJavaStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	src := filepath.Join(vectors.Dir(), "fs")
	ents, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		b, _ := os.ReadFile(filepath.Join(src, e.Name()))
		os.WriteFile(filepath.Join(dir, e.Name()), b, 0o644)
	}
	store, _ := blob.NewFS(dir)
	c := consumer.New(store, consumer.Config{})
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	javaV, javaTag := c.Version(), c.Current().RandomizedTag()

	p := New(store, Config{})
	rv, err := p.Restore(ctx)
	if err != nil || rv != javaV {
		t.Fatalf("restore = %d, %v", rv, err)
	}
	v, err := p.RunCycle(ctx, func(w *write.StateEngine) error { return addGauges(w, 3, 3000) })
	if err != nil || v <= javaV {
		t.Fatalf("cycle = %d, %v", v, err)
	}
	rc, err := store.Get(ctx, blob.DeltaName(javaV, v))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(rc)
	rc.Close()
	h, err := read.ParseHeader(b)
	if err != nil || h.OriginTag != javaTag {
		t.Fatalf("delta origin %d, Java's tag %d (%v)", h.OriginTag, javaTag, err)
	}
	if h.Tags[TagSchemaHash] != "-387741034" {
		t.Errorf("schema hash %q, Java's -387741034", h.Tags[TagSchemaHash])
	}
	if h.Tags[TagChainCounter] != "8" {
		t.Errorf("chain counter %q, want 8", h.Tags[TagChainCounter])
	}
	if _, err := store.Get(ctx, blob.SnapshotName(v)); err != nil {
		t.Errorf("no snapshot right after restore: %v", err)
	}
	if err := c.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if c.Version() != v || canonical.Digest(c.Current()) != canonical.Digest(p.State()) {
		t.Fatal("consumer did not follow the restored chain")
	}
	// Records that did not change kept their ordinals: Gauge g0..g2 changed
	// ts, String values did not.
	if !strings.Contains(dumpString(t, c.Current()), `"0": {"value": "g0"}`) {
		t.Error("String ordinals moved")
	}
}

func dumpString(t *testing.T, s *read.State) string {
	var sb strings.Builder
	if err := canonical.Write(&sb, s); err != nil {
		t.Fatal(err)
	}
	return sb.String()
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func TestMinter(t *testing.T) {
	at := time.Date(2026, 11, 23, 20, 53, 1, 0, time.UTC)
	m := minter{now: func() time.Time { return at }}
	if v := m.mint(); v != 20261123205301001 {
		t.Fatalf("first version %d", v)
	}
	last := m.mint()
	for i := 0; i < 1500; i++ { // wraps the counter within one second
		v := m.mint()
		if v <= last {
			t.Fatalf("version %d after %d", v, last)
		}
		last = v
	}
	at = at.Add(-time.Hour) // the clock goes back
	if v := m.mint(); v <= last {
		t.Fatalf("version %d after %d", v, last)
	}
}
