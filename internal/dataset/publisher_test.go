package dataset

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/sample"
)

// clock mints versions from simulated time, so tests publish many
// versions per wall-clock second without colliding.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { c.t = c.t.Add(time.Second); return c.t }

func newPub(t testing.TB, dir string, clk *clock, fine time.Duration) *Publisher {
	t.Helper()
	return newPubSnapshots(t, dir, clk, fine, 10)
}

func newPubSnapshots(t testing.TB, dir string, clk *clock, fine time.Duration, every int) *Publisher {
	t.Helper()
	st, err := blob.NewFS(dir)
	if err != nil {
		t.Fatal(err)
	}
	p, err := NewPublisher(context.Background(), st, PublisherConfig{Host: "kea-1", FineSpan: fine,
		MinuteSpan: 10 * time.Minute, SnapshotEvery: every, Now: clk.now})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func loadLatest(t testing.TB, dir string) *Contents {
	t.Helper()
	return loadLatestWith(t, dir, new(Cache))
}

func loadLatestWith(t testing.TB, dir string, cache *Cache) *Contents {
	t.Helper()
	st, _ := blob.NewFS(dir)
	c := consumer.New(st, consumer.Config{})
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatal(err)
	}
	got, err := cache.Decode(c.Current())
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// jsonOf is the JSON of intervals as the dataset keeps them: the Kea
// version and socket mode live in the Server record, and zero counts are
// not stored.
func jsonOf(t *testing.T, ivs []*metrics.Interval) string {
	t.Helper()
	norm := make([]metrics.Interval, len(ivs))
	for i, iv := range ivs {
		n := *iv
		n.Kea.Version, n.Kea.SocketMode, n.Kea.Threads = "", "", 0
		n.Packets.Received = nonZero(iv.Packets.Received)
		n.Packets.Sent = nonZero(iv.Packets.Sent)
		norm[i] = n
	}
	b, err := json.Marshal(norm)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestPublishedStateEqualsWindowAndSurvivesRestart(t *testing.T) {
	dir := t.TempDir()
	clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	gen := sample.New(7, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	info := dashboard.ServerInfo{Host: "kea-1", KeaVersion: "2.2.0", SocketMode: "udp", StoreMode: "local-only", Source: metrics.SourceSample}

	p := newPub(t, dir, clk, 2*time.Minute)
	var last int64
	for i := 0; i < 200; i++ {
		v, err := p.Publish(context.Background(), gen.Next(time.Second), info)
		if err != nil {
			t.Fatalf("publish %d: %v", i, err)
		}
		if v <= last {
			t.Fatalf("version %d not after %d", v, last)
		}
		last = v
	}
	got := loadLatest(t, dir)
	if jsonOf(t, got.Fine) != jsonOf(t, p.Window().Fine()) {
		t.Fatal("fine intervals read back differ from the published window")
	}
	if len(got.Minutes) != len(p.Window().Minutes()) || len(got.Minutes) < 2 || jsonOf(t, got.Minutes) != jsonOf(t, p.Window().Minutes()) {
		t.Fatalf("minutes read back (%d) differ from the window (%d)", len(got.Minutes), len(p.Window().Minutes()))
	}
	if got.Server.Host != "kea-1" || got.Server.KeaVersion != "2.2.0" || got.Server.Source != metrics.SourceSample {
		t.Fatalf("server %+v", got.Server)
	}
	if len(got.Fine) != 120 {
		t.Fatalf("%d fine intervals, want 120 (2 min)", len(got.Fine))
	}

	// A restarted publisher continues the same chain from the store.
	p2 := newPub(t, dir, clk, 2*time.Minute)
	if p2.Version() != last {
		t.Fatalf("restored version %d, want %d", p2.Version(), last)
	}
	next := gen.Next(time.Second)
	v, err := p2.Publish(context.Background(), next, info)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := blob.NewFS(dir)
	if _, err := os.Stat(filepath.Join(dir, blob.DeltaName(last, v))); err != nil {
		t.Fatalf("no delta from the restored version: %v", err)
	}
	c := consumer.New(st, consumer.Config{})
	if err := c.RefreshTo(context.Background(), last); err != nil {
		t.Fatal(err)
	}
	if err := c.Refresh(context.Background()); err != nil {
		t.Fatalf("follow the delta across the restart: %v", err)
	}
	after, _ := Decode(c.Current())
	if !after.Fine[len(after.Fine)-1].End.Equal(next.End) {
		t.Fatal("the state after the restart lacks the new interval")
	}
}

func nonZero(m map[string]uint64) map[string]uint64 {
	out := map[string]uint64{}
	for k, v := range m {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

// A delta carries the change, not the window: its size must not grow with
// the number of intervals kept.
func TestDeltaSizeDoesNotGrowWithWindow(t *testing.T) {
	sizes := map[time.Duration]int64{}
	for _, fine := range []time.Duration{30 * time.Second, 150 * time.Second} {
		dir := t.TempDir()
		clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
		gen := sample.New(1, time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
		p := newPub(t, dir, clk, fine)
		for i := 0; i < int(fine/time.Second)+30; i++ {
			if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{}); err != nil {
				t.Fatal(err)
			}
		}
		var total, n int64
		entries, _ := os.ReadDir(dir)
		for _, e := range entries[len(entries)/2:] {
			if strings.HasPrefix(e.Name(), "delta-") {
				info, _ := e.Info()
				total += info.Size()
				n++
			}
		}
		sizes[fine] = total / max(n, 1)
	}
	small, large := sizes[30*time.Second], sizes[150*time.Second]
	t.Logf("mean delta: %d bytes with a 30 s window, %d with 150 s", small, large)
	if float64(large) > 1.5*float64(small) {
		t.Fatalf("delta grew with the window: %d → %d bytes", small, large)
	}
}
