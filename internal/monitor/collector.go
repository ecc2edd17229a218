package monitor

import (
	"context"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// Collector produces one interval at a time from one source.
type Collector interface {
	Source() metrics.Source
	// Run collects until ctx ends (then it returns nil) or until it can no
	// longer work (then it returns why), calling emit for each interval.
	Run(ctx context.Context, emit func(*metrics.Interval)) error
}

// Fallback runs Primary and, whenever it fails, Secondary for Retry before
// trying Primary again: eBPF first, Kea's control socket while eBPF cannot
// run or has lost Kea, back to eBPF as soon as it works again.
type Fallback struct {
	Primary   Collector
	Secondary Collector // may be nil: then Primary is retried after Retry
	Retry     time.Duration
	// PrimaryReady, if set, gates retrying Primary: while it says no (Kea
	// is not running, say) Secondary keeps running.
	PrimaryReady func() bool
	// OnSwitch is told each change of the active source and why.
	OnSwitch func(active metrics.Source, reason error)
}

// Run returns when ctx ends.
func (f *Fallback) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	retry := f.Retry
	if retry <= 0 {
		retry = 5 * time.Second
	}
	var active metrics.Source
	switchTo := func(s metrics.Source, why error) {
		if s != active && f.OnSwitch != nil {
			f.OnSwitch(s, why)
		}
		active = s
	}
	for ctx.Err() == nil {
		if active != "" && active != f.Primary.Source() && f.PrimaryReady != nil && !f.PrimaryReady() && f.Secondary != nil {
			f.runSecondary(ctx, emit, retry)
			continue
		}
		started := false
		err := f.Primary.Run(ctx, func(iv *metrics.Interval) {
			if !started {
				started = true
				switchTo(f.Primary.Source(), nil)
			}
			emit(iv)
		})
		if ctx.Err() != nil {
			return nil
		}
		if f.Secondary == nil {
			switchTo("", err)
			sleep(ctx, retry)
			continue
		}
		switchTo(f.Secondary.Source(), err)
		f.runSecondary(ctx, emit, retry)
	}
	return nil
}

func (f *Fallback) runSecondary(ctx context.Context, emit func(*metrics.Interval), retry time.Duration) {
	sctx, cancel := context.WithTimeout(ctx, retry)
	defer cancel()
	if err := f.Secondary.Run(sctx, emit); err != nil && sctx.Err() == nil {
		// Both failed: wait out the rest of the period rather than spin.
		sleep(ctx, retry)
	}
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// Source is the preferred source; each interval says which one produced it.
func (f *Fallback) Source() metrics.Source { return f.Primary.Source() }
