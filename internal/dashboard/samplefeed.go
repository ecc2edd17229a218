package dashboard

import (
	"context"
	"time"

	"github.com/keascope/keascope/internal/metrics"
	"github.com/keascope/keascope/internal/sample"
)

// SampleFeed publishes internal/sample intervals into a MemorySource as the
// monitor would publish measurements: a rolling hour of fine intervals and
// a day of minute roll-ups, one version per interval. It is the dashboard's
// standalone demo (`keascope dashboard --sample`) and its tests' load. Every
// record says source "sample".
type SampleFeed struct {
	src     *MemorySource
	server  string
	gen     *sample.Generator
	info    ServerInfo
	fine    []metrics.Interval
	minutes []metrics.Interval
	open    *metrics.Interval

	// Mutate, when set, is applied to each interval before it is
	// published (tests use it to inject hostile exception texts).
	Mutate func(*metrics.Interval)
}

// NewSampleFeed prepares a feed whose history ends at end: backfill of
// history (up to 24 h) is generated at once, minutes first, the last hour
// as fine intervals. Nothing is published until Step.
func NewSampleFeed(src *MemorySource, server string, seed int64, end time.Time, backfill time.Duration) *SampleFeed {
	end = end.Truncate(time.Second)
	backfill = min(backfill, 24*time.Hour).Truncate(time.Second)
	// Minute-aligned, so the roll-ups generated directly line up with the
	// ones the fine intervals make.
	start := end.Add(-backfill).Truncate(time.Minute)
	f := &SampleFeed{
		src: src, server: server, gen: sample.New(seed, start),
		info: ServerInfo{
			Host: server, KeaVersion: "2.2.0 (sample)", PID: sample.PID, SocketMode: "udp",
			StoreMode: "local", Source: metrics.SourceSample,
		},
	}
	fineFrom := end.Add(-time.Hour)
	for f.gen.Now().Before(fineFrom) {
		// Whole minutes until the fine hour, then single seconds to
		// reach a minute boundary.
		next := f.gen.Now().Truncate(time.Minute).Add(time.Minute)
		if d := next.Sub(f.gen.Now()); next.After(fineFrom) || d < time.Minute {
			f.add(f.gen.Next(time.Second))
			continue
		}
		iv := f.gen.Next(time.Minute)
		f.minutes = append(f.minutes, *iv)
	}
	for f.gen.Now().Before(end) {
		f.add(f.gen.Next(time.Second))
	}
	return f
}

// add puts one fine interval into the window, rolling completed minutes up
// and ageing out what left the hour or the day.
func (f *SampleFeed) add(iv *metrics.Interval) {
	if f.Mutate != nil {
		f.Mutate(iv)
	}
	minute := iv.End.Add(-time.Nanosecond).Truncate(time.Minute)
	if f.open != nil && !f.open.Start.Equal(minute) {
		f.open.Compact()
		f.minutes = append(f.minutes, *f.open)
		f.open = nil
	}
	if f.open == nil {
		f.open = metrics.New(minute, iv.Source)
	}
	f.open.Merge(iv)
	iv.Compact() // kept for an hour: store only non-empty buckets
	f.open.Start = minute
	f.fine = append(f.fine, *iv)
	f.fine = after(f.fine, iv.End.Add(-time.Hour))
	f.minutes = after(f.minutes, iv.End.Add(-24*time.Hour))
}

// Step generates the next interval of length d and publishes the window as
// a new version, which it returns. Published snapshots share the window's
// arrays, which are only ever appended to, so retained versions cost
// little.
func (f *SampleFeed) Step(d time.Duration) int64 {
	f.add(f.gen.Next(d))
	return f.Publish()
}

// Publish publishes the current window without advancing it.
func (f *SampleFeed) Publish() int64 {
	n, m := len(f.fine), len(f.minutes)
	return f.src.Publish(f.server, Snapshot{
		Info:      f.info,
		Intervals: f.fine[:n:n],
		Minutes:   f.minutes[:m:m],
	})
}

// Run publishes one interval every d until ctx ends, keeping the sample
// clock on the wall clock.
func (f *SampleFeed) Run(ctx context.Context, d time.Duration) {
	t := time.NewTicker(d)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			for f.gen.Now().Add(d).Before(now) || f.gen.Now().Add(d).Equal(now) {
				f.Step(d)
			}
		}
	}
}
