package monitor

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/keascope/keascope/internal/metrics"
)

// scripted is a collector whose runs follow a script: each run emits n
// intervals and then fails, or runs until ctx ends when n < 0.
type scripted struct {
	src  metrics.Source
	mu   sync.Mutex
	runs []int
}

func (s *scripted) Source() metrics.Source { return s.src }

func (s *scripted) Run(ctx context.Context, emit func(*metrics.Interval)) error {
	s.mu.Lock()
	n := -1
	if len(s.runs) > 0 {
		n, s.runs = s.runs[0], s.runs[1:]
	}
	s.mu.Unlock()
	for i := 0; n < 0 || i < n; i++ {
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(5 * time.Millisecond):
		}
		emit(&metrics.Interval{Source: s.src})
	}
	return errors.New(string(s.src) + " lost")
}

func TestFallbackSwitchesAndRecovers(t *testing.T) {
	primary := &scripted{src: metrics.SourceEBPF, runs: []int{3, 0}} // works, fails, fails at once, then works
	secondary := &scripted{src: metrics.SourceControl}
	var mu sync.Mutex
	var switches []metrics.Source
	var sources []metrics.Source
	f := &Fallback{Primary: primary, Secondary: secondary, Retry: 50 * time.Millisecond,
		OnSwitch: func(s metrics.Source, _ error) { mu.Lock(); switches = append(switches, s); mu.Unlock() }}
	ctx, cancel := context.WithTimeout(context.Background(), 400*time.Millisecond)
	defer cancel()
	f.Run(ctx, func(iv *metrics.Interval) { mu.Lock(); sources = append(sources, iv.Source); mu.Unlock() })

	want := []metrics.Source{metrics.SourceEBPF, metrics.SourceControl, metrics.SourceEBPF}
	if len(switches) != 3 {
		t.Fatalf("switches %v, want %v", switches, want)
	}
	for i := range want {
		if switches[i] != want[i] {
			t.Fatalf("switches %v, want %v", switches, want)
		}
	}
	if sources[len(sources)-1] != metrics.SourceEBPF {
		t.Fatalf("did not recover to eBPF: last source %s", sources[len(sources)-1])
	}
}
