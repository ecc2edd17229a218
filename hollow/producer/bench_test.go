package producer

import (
	"context"
	"fmt"
	"testing"

	"github.com/keascope/keascope/hollow/blob"
	"github.com/keascope/keascope/hollow/consumer"
	"github.com/keascope/keascope/hollow/write"
)

// BenchmarkWindowCycle is keascope's monitor shape: a rolling window of
// 5040 interval records, one new and one dropped each cycle, published to
// a filesystem store, and a consumer following it.
func BenchmarkWindowCycle(b *testing.B) {
	ctx := context.Background()
	store, _ := blob.NewFS(b.TempDir())
	p := New(store, Config{})
	p.Engine().AddType(str)
	p.Engine().AddType(gauge)
	c := consumer.New(store, consumer.Config{})
	const window = 5040
	first := 0
	populate := func(w *write.StateEngine) error {
		for i := first; i < first+window; i++ {
			s, _ := w.Add(w.NewObject("String").SetString("value", fmt.Sprintf("interval-%d", i)))
			if _, err := w.Add(w.NewObject("Gauge").SetRef("name", s).SetLong("ts", int64(i)*10_000).
				SetDouble("value", float64(i%977)/3).SetInt("count", int32(i%50))); err != nil {
				return err
			}
		}
		return nil
	}
	if _, err := p.RunCycle(ctx, populate); err != nil {
		b.Fatal(err)
	}
	if err := c.Refresh(ctx); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		first++
		if _, err := p.RunCycle(ctx, populate); err != nil {
			b.Fatal(err)
		}
		if err := c.Refresh(ctx); err != nil {
			b.Fatal(err)
		}
	}
}
