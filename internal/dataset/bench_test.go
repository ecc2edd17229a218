package dataset

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/dashboard"
	"github.com/keascope/keascope/internal/sample"
)

// BenchmarkPublishFullWindow is the monitor's per-interval cost with a full
// window: one publish (window update, encode the new interval, write and
// store header + delta + reverse delta, a snapshot every 60 versions)
// after the window is filled. It reports the CPU time per interval and the
// delta bytes per interval.
func BenchmarkPublishFullWindow(b *testing.B) {
	for _, fine := range []time.Duration{10 * time.Minute, time.Hour} {
		b.Run(fine.String(), func(b *testing.B) {
			clk := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
			gen := sample.New(1, clk.t)
			dir := b.TempDir()
			p := newPubSnapshots(b, dir, clk, fine, 60) // the monitor's default
			for i := 0; i < int(fine/time.Second); i++ {
				if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{}); err != nil {
					b.Fatal(err)
				}
			}
			before := cpuTime()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := p.Publish(context.Background(), gen.Next(time.Second), dashboard.ServerInfo{}); err != nil {
					b.Fatal(err)
				}
			}
			b.StopTimer()
			b.ReportMetric(float64(cpuTime()-before)/float64(b.N)/1e6, "cpu-ms/interval")
			b.ReportMetric(float64(deltaBytes(b, dir, b.N)), "delta-B/interval")
		})
	}
}

// cpuTime is this process's user+system CPU in nanoseconds.
func cpuTime() int64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return ru.Utime.Nano() + ru.Stime.Nano()
}

// deltaBytes is the mean size of the newest n deltas.
func deltaBytes(t testing.TB, dir string, n int) int64 {
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sizes []int64
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "delta-") {
			fi, err := os.Stat(filepath.Join(dir, e.Name()))
			if err == nil {
				sizes = append(sizes, fi.Size())
			}
		}
	}
	if n > len(sizes) {
		n = len(sizes)
	}
	var total int64
	for _, s := range sizes[len(sizes)-n:] {
		total += s
	}
	return total / int64(max(n, 1))
}
