package dataset

import (
	"context"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/sample"
)

// BenchmarkPublishFullWindow measures one cycle with a full window of fine
// intervals (b.N publishes after filling it).
func BenchmarkPublishFullWindow(b *testing.B) {
	for _, fine := range []time.Duration{10 * time.Minute, time.Hour} {
		b.Run(fine.String(), func(b *testing.B) {
			clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
			gen := sample.New(1, clk.t)
			p := newPub(b, b.TempDir(), clk, fine)
			for i := 0; i < int(fine/time.Second); i++ {
				if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
