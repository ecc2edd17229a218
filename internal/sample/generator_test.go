package sample

import (
	"testing"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

func TestNextIsLabelledAndConsistent(t *testing.T) {
	start := time.Date(2026, 3, 1, 14, 0, 0, 0, time.UTC)
	g := New(1, start)
	var exceptions, naks uint64
	for i := range 3600 {
		iv := g.Next(time.Second)
		if iv.Source != metrics.SourceSample {
			t.Fatalf("interval %d: source %q, want sample", i, iv.Source)
		}
		if want := start.Add(time.Duration(i+1) * time.Second); !iv.End.Equal(want) {
			t.Fatalf("interval %d ends %v, want %v", i, iv.End, want)
		}
		p := iv.Packets
		if p.Answered != p.Sent["offer"]+p.Sent["ack"]+p.Sent["nak"] {
			t.Fatalf("interval %d: answered %d != sent %v", i, p.Answered, p.Sent)
		}
		if iv.Latency.Count() != p.Sent["offer"]+p.Sent["ack"]+p.Sent["nak"] {
			t.Fatalf("interval %d: latency count %d, sent %v", i, iv.Latency.Count(), p.Sent)
		}
		for _, c := range iv.Errors.Exceptions {
			exceptions += c.Count
		}
		naks += iv.Errors.Naks
		if len(iv.Subnets) != 3 {
			t.Fatalf("interval %d: %d subnets", i, len(iv.Subnets))
		}
	}
	if exceptions == 0 || naks == 0 {
		t.Errorf("an hour of sample data has %d exceptions and %d NAKs; want some of each", exceptions, naks)
	}
	last := g.Next(time.Second)
	if u := last.Subnets[2].Utilization(); u < 0.9 {
		t.Errorf("subnet 3 after an hour at %.2f, want >= 0.9 (critical band)", u)
	}
	if s := last.Latency.Summary(); s.P99 <= s.P50 {
		t.Errorf("p99 %.1f <= p50 %.1f: no tail", s.P99, s.P50)
	}
}

func TestDeterministic(t *testing.T) {
	start := time.Unix(1700000000, 0)
	a, b := New(7, start).Next(time.Minute), New(7, start).Next(time.Minute)
	if a.Packets.Answered != b.Packets.Answered || a.Latency.Sum() != b.Latency.Sum() {
		t.Error("same seed and start gave different intervals")
	}
}

func BenchmarkNextMinute(b *testing.B) {
	g := New(1, time.Unix(1700000000, 0))
	for b.Loop() {
		g.Next(time.Minute)
	}
}
